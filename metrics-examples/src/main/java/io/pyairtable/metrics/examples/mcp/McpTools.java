package io.pyairtable.metrics.examples.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.pyairtable.metrics.McpServerMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MCP server's tools, each timed into {@code mcp_tool_execution_duration_seconds} and counted
 * in {@code mcp_tool_executions_total{tool_name,status}} with status {@code success},
 * {@code error} (the tool answered {@code isError}), {@code denied} (a path left the sandbox) or
 * {@code timeout} (a command was killed).
 *
 * <ul>
 *   <li>{@code list_files {path}}: the entries of a sandbox folder;</li>
 *   <li>{@code read_file {path, maxBytes}}: a sandbox file's text;</li>
 *   <li>{@code run_command {command, args}}: {@code ls}, {@code wc}, {@code head}, {@code sort} or
 *       {@code grep} as a real OS process in the sandbox ({@link SubprocessRunner});</li>
 *   <li>{@code airtable_list_records {baseId, table, pageSize, offset}}: one page of records
 *       through the Airtable gateway's HTTP API.</li>
 * </ul>
 *
 * <pre>{@code
 * McpTools tools = new McpTools(sandbox, runner, McpConfig.builder().build(), metrics, mapper);
 * McpServer.sync(transport).tools(tools.specifications()).build();
 * }</pre>
 */
public final class McpTools {

  /** Tool names. */
  public static final String LIST_FILES = "list_files";
  public static final String READ_FILE = "read_file";
  public static final String RUN_COMMAND = "run_command";
  public static final String AIRTABLE_LIST_RECORDS = "airtable_list_records";

  private static final int MAX_READ_BYTES = 256 * 1024;

  /** The body of one tool: arguments in, result out. */
  @FunctionalInterface
  private interface Body {
    Outcome run(Map<String, Object> arguments) throws Exception;
  }

  /** A tool's answer and the status it is counted with. */
  private record Outcome(CallToolResult result, String status) {
    static Outcome ok(String text) {
      return new Outcome(CallToolResult.builder().addTextContent(text).isError(false).build(), "success");
    }

    static Outcome failed(String status, String text) {
      return new Outcome(CallToolResult.builder().addTextContent(text).isError(true).build(), status);
    }
  }

  private final Sandbox sandbox;
  private final SubprocessRunner runner;
  private final String gatewayUrl;
  private final Duration airtableTimeout;
  private final McpServerMetrics mcp;
  private final McpJsonMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Tools on {@code sandbox} and {@code runner}, calling the Airtable gateway as {@code config} says. */
  public McpTools(Sandbox sandbox, SubprocessRunner runner, McpConfig config, MetricsCollector collector,
      McpJsonMapper json) {
    this.sandbox = sandbox;
    this.runner = runner;
    this.gatewayUrl = config.airtableGatewayUrl();
    this.airtableTimeout = config.airtableTimeout();
    this.mcp = collector.mcpServer();
    this.json = json;
  }

  /** The four tool specifications for {@code McpServer.sync(...).tools(...)}. */
  public List<SyncToolSpecification> specifications() {
    return List.of(
        tool(LIST_FILES, "List the files and folders of a folder in the sandbox.",
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":"
                + "\"Folder relative to the sandbox root\",\"default\":\".\"}}}",
            this::listFiles),
        tool(READ_FILE, "Read a text file from the sandbox.",
            "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},"
                + "\"maxBytes\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"path\"]}",
            this::readFile),
        tool(RUN_COMMAND, "Run ls, wc, head, sort or grep in the sandbox as a subprocess.",
            "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\",\"enum\":"
                + "[\"ls\",\"wc\",\"head\",\"sort\",\"grep\"]},\"args\":{\"type\":\"array\",\"items\":"
                + "{\"type\":\"string\"}}},\"required\":[\"command\"]}",
            this::runCommand),
        tool(AIRTABLE_LIST_RECORDS, "List one page of records of an Airtable table through the Airtable gateway.",
            "{\"type\":\"object\",\"properties\":{\"baseId\":{\"type\":\"string\"},\"table\":{\"type\":\"string\"},"
                + "\"pageSize\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100},\"offset\":{\"type\":\"string\"}},"
                + "\"required\":[\"baseId\",\"table\"]}",
            this::airtableListRecords));
  }

  private SyncToolSpecification tool(String name, String description, String schema, Body body) {
    Tool tool = Tool.builder().name(name).description(description).inputSchema(json, schema).build();
    return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
      long start = System.nanoTime();
      Outcome outcome;
      try {
        outcome = body.run(request.arguments() == null ? Map.of() : request.arguments());
      } catch (SecurityException e) {
        outcome = Outcome.failed("denied", "denied: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = Outcome.failed("error", "interrupted");
      } catch (Exception e) {
        outcome = Outcome.failed("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      mcp.recordToolExecution(name, outcome.status(), (System.nanoTime() - start) / 1e9);
      return outcome.result();
    }).build();
  }

  private Outcome listFiles(Map<String, Object> args) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Sandbox.Entry e : sandbox.list(string(args, "path", "."))) {
      out.append(e.directory() ? "dir  " : "file ").append(e.name());
      if (!e.directory()) {
        out.append(' ').append(e.size());
      }
      out.append('\n');
    }
    return Outcome.ok(out.toString());
  }

  private Outcome readFile(Map<String, Object> args) throws IOException {
    int max = Math.min(MAX_READ_BYTES, integer(args, "maxBytes", MAX_READ_BYTES));
    return Outcome.ok(sandbox.read(required(args, "path"), Math.max(1, max)));
  }

  private Outcome runCommand(Map<String, Object> args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    Object raw = args.get("args");
    if (raw instanceof List<?> list) {
      for (Object o : list) {
        argv.add(String.valueOf(o));
      }
    } else if (raw != null) {
      throw new IllegalArgumentException("args must be an array of strings");
    }
    SubprocessRunner.Result r = runner.run(required(args, "command"), argv);
    if (r.timedOut()) {
      return Outcome.failed("timeout", "killed after the timeout\n" + r.output());
    }
    if (r.exitCode() != 0) {
      return Outcome.failed("error", "exit code " + r.exitCode() + "\n" + r.output());
    }
    return Outcome.ok(r.output());
  }

  private Outcome airtableListRecords(Map<String, Object> args) throws IOException, InterruptedException {
    StringBuilder url = new StringBuilder(gatewayUrl).append("/bases/").append(encode(required(args, "baseId")))
        .append("/tables/").append(encode(required(args, "table"))).append("/records?pageSize=")
        .append(integer(args, "pageSize", 100));
    String offset = string(args, "offset", null);
    if (offset != null) {
      url.append("&offset=").append(encode(offset));
    }
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url.toString()))
        .timeout(airtableTimeout).header("Accept", "application/json").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return Outcome.failed("error", "Airtable gateway answered " + response.statusCode() + ": " + response.body());
    }
    return Outcome.ok(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String required(Map<String, Object> args, String name) {
    String value = string(args, name, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static String string(Map<String, Object> args, String name, String fallback) {
    Object v = args.get(name);
    return v == null ? fallback : String.valueOf(v);
  }

  private static int integer(Map<String, Object> args, String name, int fallback) {
    Object v = args.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
  }
}
