package io.pyairtable.metrics.examples.mcp;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.integrations.testing.Conditions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

class McpServerServiceTest {

  private static final String BASE = "appMcpTestBase001";

  private static MetricsCollector collector() {
    return Metrics.builder(Map.of()).serviceName("mcp-server").jvmMetrics(false).initialize();
  }

  private static McpSyncClient client(McpServerService mcp, AtomicLong postedBytes, AtomicLong posts) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + mcp.port()).endpoint(McpConfig.ENDPOINT)
        .asyncHttpRequestCustomizer((builder, method, uri, body, context) -> {
          if ("POST".equals(method) && body != null) {
            posts.incrementAndGet();
            postedBytes.addAndGet(body.getBytes(StandardCharsets.UTF_8).length);
          }
          return Mono.just(builder);
        }).build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void sdkClientListsAndCallsToolsAndProtocolCountsMatchExactly() throws Exception {
    MetricsCollector metrics = collector();
    MetricsCollector gatewayMetrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .initialize();
    AtomicLong postedBytes = new AtomicLong();
    AtomicLong posts = new AtomicLong();
    try (AirtableEmulator airtable = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO).build().start();
        AirtableGatewayService gateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
            .upstream(URI.create(airtable.baseUrl()), airtable.apiKey()).build(), gatewayMetrics);
        McpServerService mcp = McpServerService.start(McpConfig.builder()
            .airtableGatewayUrl("http://127.0.0.1:" + gateway.port()).build(), metrics)) {
      airtable.seedSampleRecords(BASE, "Customers", 7);
      McpSyncClient client = client(mcp, postedBytes, posts);
      try {
        client.initialize();
        List<Tool> tools = client.listTools().tools();
        assertThat(tools.stream().map(Tool::name)).containsExactlyInAnyOrder(McpTools.LIST_FILES,
            McpTools.READ_FILE, McpTools.RUN_COMMAND, McpTools.AIRTABLE_LIST_RECORDS);

        CallToolResult listing = client.callTool(new CallToolRequest(McpTools.LIST_FILES, Map.of("path", ".")));
        assertThat(text(listing)).contains("file README.md", "dir  data", "dir  notes");
        CallToolResult todo = client.callTool(new CallToolRequest(McpTools.READ_FILE, Map.of("path", "notes/todo.txt")));
        assertThat(text(todo)).startsWith("review the Q3 pipeline");
        CallToolResult escape = client.callTool(new CallToolRequest(McpTools.READ_FILE,
            Map.of("path", "../../etc/passwd")));
        assertThat(escape.isError()).isTrue();
        CallToolResult wc = client.callTool(new CallToolRequest(McpTools.RUN_COMMAND,
            Map.of("command", "wc", "args", List.of("-l", "data/customers.csv"))));
        assertThat(text(wc).trim()).isEqualTo("51 data/customers.csv");
        CallToolResult records = client.callTool(new CallToolRequest(McpTools.AIRTABLE_LIST_RECORDS,
            Map.of("baseId", BASE, "table", "Customers", "pageSize", 3)));
        assertThat(records.isError()).isFalse();
        assertThat(text(records)).contains("\"Customer 001\"", "\"offset\"");
      } finally {
        client.closeGracefully();
      }

      Exposition s = Exposition.parse(metrics.exportMetrics());
      String messages = MCP_PROTOCOL_MESSAGES_TOTAL.name();
      assertThat(s.value(messages, "message_type", "initialize", "direction", "inbound", "status", "success"))
          .isEqualTo(1);
      assertThat(s.value(messages, "message_type", "notifications/initialized", "direction", "inbound")).isEqualTo(1);
      assertThat(s.value(messages, "message_type", "tools/list", "direction", "inbound")).isEqualTo(1);
      assertThat(s.value(messages, "message_type", "tools/call", "direction", "inbound")).isEqualTo(5);
      assertThat(s.value(messages, "message_type", "response", "direction", "outbound", "status", "success"))
          .isEqualTo(7);
      assertThat(s.sum(messages, "direction", "inbound")).isEqualTo(8);
      assertThat(s.sum(messages, "direction", "outbound")).isEqualTo(7);
      assertThat(posts.get()).isEqualTo(8);
      assertThat(s.sum(MCP_PROTOCOL_MESSAGE_SIZE_BYTES.sum(), "direction", "inbound"))
          .isEqualTo(postedBytes.get());
      assertThat(s.value(MCP_PROTOCOL_MESSAGE_SIZE_BYTES.count(), "message_type", "response", "direction",
          "outbound")).isEqualTo(7);

      String tools = MCP_TOOL_EXECUTIONS_TOTAL.name();
      assertThat(s.value(tools, "tool_name", "list_files", "status", "success")).isEqualTo(1);
      assertThat(s.value(tools, "tool_name", "read_file", "status", "success")).isEqualTo(1);
      assertThat(s.value(tools, "tool_name", "read_file", "status", "denied")).isEqualTo(1);
      assertThat(s.value(tools, "tool_name", "run_command", "status", "success")).isEqualTo(1);
      assertThat(s.value(tools, "tool_name", "airtable_list_records", "status", "success")).isEqualTo(1);
      assertThat(s.sum(MCP_TOOL_EXECUTION_DURATION_SECONDS.count())).isEqualTo(5);

      assertThat(s.value(MCP_SUBPROCESS_CREATION_TOTAL.name(), "process_type", "wc", "status", "success"))
          .isEqualTo(1);
      assertThat(s.sum(MCP_SUBPROCESS_CREATION_TOTAL.name())).isEqualTo(1);
      assertThat(s.value(MCP_SUBPROCESS_DURATION_SECONDS.count(), "process_type", "wc")).isEqualTo(1);
      assertThat(s.value(MCP_SUBPROCESS_COUNT.name(), "process_type", "wc")).isZero();
      assertThat(s.value(HTTP_REQUESTS_TOTAL.name(), "method", "POST", "endpoint", "/mcp", "status_code", "200"))
          .isEqualTo(7);
      assertThat(s.value(HTTP_REQUESTS_TOTAL.name(), "method", "POST", "endpoint", "/mcp", "status_code", "202"))
          .isEqualTo(1);
      assertThat(airtable.rateLimitResponses()).isZero();
    }
  }

  @Test
  void rawMessagesAreCountedByTheirBytesAndTransportErrorsAnswerPlainJsonRpcErrors() throws Exception {
    MetricsCollector metrics = collector();
    try (McpServerService mcp = McpServerService.start(McpConfig.builder().build(), metrics)) {
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}";
      HttpResponse<String> unknownSession = http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl()))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .header("Mcp-Session-Id", "no-such-session").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unknownSession.statusCode()).isEqualTo(404);
      assertThat(unknownSession.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
          + "\"message\":\"Session not found: no-such-session\"}}");
      HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl()))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(garbage.statusCode()).isEqualTo(400);
      assertThat(garbage.body()).doesNotContain("stackTrace").contains("\"code\":-32700");

      Exposition s = Exposition.parse(metrics.exportMetrics());
      String messages = MCP_PROTOCOL_MESSAGES_TOTAL.name();
      // refused by the transport before the SDK handled it: an error, not a success
      assertThat(s.value(messages, "message_type", "tools/list", "direction", "inbound", "status", "error"))
          .isEqualTo(1);
      assertThat(s.value(MCP_PROTOCOL_MESSAGE_SIZE_BYTES.sum(), "message_type", "tools/list", "direction",
          "inbound")).isEqualTo(body.length());
      assertThat(s.value(messages, "message_type", "invalid", "direction", "inbound", "status", "invalid"))
          .isEqualTo(1);
      assertThat(s.value(MCP_PROTOCOL_MESSAGE_SIZE_BYTES.sum(), "message_type", "invalid", "direction", "inbound"))
          .isEqualTo("not json".length());
      assertThat(s.value(messages, "message_type", "response", "direction", "outbound", "status", "error"))
          .isEqualTo(2);
      assertThat(s.value(MCP_PROTOCOL_MESSAGE_SIZE_BYTES.sum(), "message_type", "response", "direction",
          "outbound")).isEqualTo(unknownSession.body().getBytes(StandardCharsets.UTF_8).length
              + garbage.body().getBytes(StandardCharsets.UTF_8).length);
      assertThat(s.sum(messages)).isEqualTo(4);
    }
  }

  @Test
  void commandPastTheTimeoutIsKilledCountedAndLeavesNoChildProcess(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.txt"), "x\n");
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    MetricsCollector metrics = collector();
    try (McpServerService mcp = McpServerService.start(McpConfig.builder().sandbox(dir)
        .commandTimeout(Duration.ofMillis(300)).build(), metrics)) {
      McpSyncClient client = client(mcp, new AtomicLong(), new AtomicLong());
      try {
        client.initialize();
        CallToolResult blocked = client.callTool(new CallToolRequest(McpTools.RUN_COMMAND,
            Map.of("command", "head", "args", List.of("pipe"))));
        assertThat(blocked.isError()).isTrue();
        assertThat(text(blocked)).startsWith("killed after the timeout");
        CallToolResult refused = client.callTool(new CallToolRequest(McpTools.RUN_COMMAND,
            Map.of("command", "rm", "args", List.of("a.txt"))));
        assertThat(refused.isError()).isTrue();
      } finally {
        client.closeGracefully();
      }
      assertThat(mcp.liveSubprocesses()).isZero();
      assertThat(liveChildren()).isEmpty();
      assertThat(dir.resolve("a.txt")).exists();
      Exposition s = Exposition.parse(metrics.exportMetrics());
      assertThat(s.value(MCP_TOOL_EXECUTIONS_TOTAL.name(), "tool_name", "run_command", "status", "timeout"))
          .isEqualTo(1);
      assertThat(s.value(MCP_TOOL_EXECUTIONS_TOTAL.name(), "tool_name", "run_command", "status", "denied"))
          .isEqualTo(1);
      assertThat(s.value(MCP_SUBPROCESS_CREATION_TOTAL.name(), "process_type", "head", "status", "success"))
          .isEqualTo(1);
      assertThat(s.sum(MCP_SUBPROCESS_CREATION_TOTAL.name())).isEqualTo(1);
      assertThat(s.value(MCP_SUBPROCESS_COUNT.name(), "process_type", "head")).isZero();
      assertThat(s.value(MCP_SUBPROCESS_DURATION_SECONDS.sum(), "process_type", "head")).isBetween(0.3, 10.0);
    }
  }

  @Test
  void closeLeavesNoChildProcessesNoNonDaemonThreadsAndNoTemporarySandbox() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    McpServerService mcp = McpServerService.start(McpConfig.builder().build(), collector());
    Path sandbox = mcp.sandbox();
    McpSyncClient client = client(mcp, new AtomicLong(), new AtomicLong());
    client.initialize();
    assertThat(text(client.callTool(new CallToolRequest(McpTools.RUN_COMMAND,
        Map.of("command", "ls", "args", List.of("data")))))).isEqualTo("customers.csv\n");
    client.closeGracefully();
    mcp.close();
    try {
      Conditions.await(Duration.ofSeconds(10), "no new non-daemon thread left",
          () -> before.containsAll(nonDaemonThreads()));
    } finally {
      assertThat(nonDaemonThreads()).isSubsetOf(before);
    }
    assertThat(liveChildren()).isEmpty();
    assertThat(sandbox).doesNotExist();
  }

  @Test
  void stoppingWithASessionOpenEndsItsEventStreamAtOnceAndRecordsTheStopsNotTheClients503() throws Exception {
    MetricsCollector metrics = collector();
    McpServerService mcp = McpServerService.start(McpConfig.builder().build(), metrics);
    McpSyncClient client = client(mcp, new AtomicLong(), new AtomicLong());
    long stopMillis;
    try {
      client.initialize();
      // after initializing (a POST answered 200, a notification answered 202), the SDK's client opens its
      // standalone GET stream and keeps it open: then it is the one request in progress
      Conditions.await(Duration.ofSeconds(10), "the SDK's GET stream the one request in progress", () -> {
        Exposition e = Exposition.parse(metrics.exportMetrics());
        return e.sum(HTTP_REQUESTS_TOTAL.name(), "method", "POST") == 2 && e.sum(ACTIVE_CONNECTIONS.name()) == 1;
      });
      long start = System.nanoTime();
      mcp.close();
      stopMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    } finally {
      client.closeGracefully();
    }
    System.out.println("stop with an MCP session open took " + stopMillis + " ms");
    assertThat(stopMillis).isLessThan(5_000); // the shutdown grace is 10 s: the stream did not hold it
    Exposition s = Exposition.parse(metrics.exportMetrics());
    // the SDK sends the stream's headers with its first event: ended before any, it had sent nothing
    assertThat(s.find(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/mcp")).singleElement()
        .satisfies(e -> assertThat(e.labels()).containsEntry("status_code", "503"))
        .satisfies(e -> assertThat(e.value()).isEqualTo(1));
    assertThat(s.find(ERRORS_TOTAL.name(), "endpoint", "/mcp")).singleElement() // the 503's, no other
        .satisfies(e -> assertThat(e.labels()).containsEntry("error_type", "http_5xx"))
        .satisfies(e -> assertThat(e.value()).isEqualTo(1));
    // the client, its stream cut, may try again before the listener closes: turned away like any late request
    assertThat(s.find(HTTP_REQUESTS_TOTAL.name(), "endpoint", "unmatched"))
        .allSatisfy(e -> assertThat(e.labels()).containsEntry("status_code", "503"));
    assertThat(s.find(ERRORS_TOTAL.name())).filteredOn(e -> !"/mcp".equals(e.labels().get("endpoint")))
        .allSatisfy(e -> assertThat(e.labels()).containsEntry("endpoint", "unmatched")
            .containsEntry("error_type", "http_5xx"));
    assertThat(s.sum(HTTP_REQUESTS_TOTAL.name(), "status_code", "499")).isZero();
    assertThat(s.sum(ACTIVE_CONNECTIONS.name())).isZero();
  }

  private static List<ProcessHandle> liveChildren() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }
}
