package io.pyairtable.metrics.examples.mcp;

import io.javalin.config.JavalinConfig;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.server.TurnkeyService;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The MCP server service: a real MCP server on the official MCP Java SDK, speaking the Streamable
 * HTTP transport at {@code /mcp} ({@link HttpServletStreamableServerTransportProvider} mounted in
 * the Jetty of a metrics-http turnkey Javalin app, so {@code /metrics} and {@code /health} come
 * with it). Its tools are {@link McpTools}; every protocol message is counted by
 * {@link McpMessageMeter}; subprocesses run through {@link SubprocessRunner}.
 *
 * <pre>{@code
 * try (McpServerService mcp = McpServerService.start(McpConfig.fromEnvironment(System.getenv()).port(8001).build(),
 *     metrics)) {
 *   // an MCP client connects to http://127.0.0.1:8001/mcp
 *   System.out.println(mcp.collector().exportMetrics());
 * }
 * }</pre>
 */
public final class McpServerService extends TurnkeyService {

  /** The service's version, also the MCP server's. */
  public static final String VERSION = "0.1.0";

  private final Path sandboxDir;
  private final boolean ownedSandbox;
  private final SubprocessRunner runner;
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  private McpServerService(McpConfig config, MetricsCollector collector) throws IOException {
    super(collector, MetricGroup.MCP_SERVER, config.host());
    this.ownedSandbox = config.sandbox() == null;
    this.sandboxDir = ownedSandbox ? sampleSandbox() : config.sandbox();
    Sandbox sandbox = new Sandbox(sandboxDir);
    this.runner = new SubprocessRunner(sandbox, collector, config.commandTimeout());
    McpJsonMapper json = McpJsonDefaults.getMapper();
    // No session sweeper: in SDK 2.1.0 it runs on Schedulers.newSingle(...), a non-daemon thread that
    // closeGracefully() never disposes, so every stopped server would leak a thread. Sessions still end
    // on the client's DELETE and all of them when the service closes.
    this.transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(json)
        .mcpEndpoint(McpConfig.ENDPOINT).sessionSweepInterval(null).build();
    McpTools tools = new McpTools(sandbox, runner, config, collector, json);
    this.server = McpServer.sync(transport).serverInfo("pyairtable-mcp-server", VERSION)
        .capabilities(ServerCapabilities.builder().tools(false).build())
        // the tools validate their arguments themselves, so a refused call is still counted as an execution
        .validateToolInputs(false)
        .tools(tools.specifications()).build();
    String name = ServiceCatalog.MCP_SERVER.serviceName();
    app(turnkey(name, VERSION, 64, name + "-http").configure(this::mount));
  }

  /** Starts the service on the configured host and port, recording into {@code collector}. */
  public static McpServerService start(McpConfig config, MetricsCollector collector) {
    McpServerService service;
    try {
      service = new McpServerService(config, collector);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the MCP sandbox", e);
    }
    return listen(service, config.port());
  }

  private void mount(JavalinConfig config) {
    config.jetty.modifyServletContextHandler(handler -> {
      FilterHolder meter = new FilterHolder(new McpMessageMeter(collector(), McpConfig.ENDPOINT));
      meter.setAsyncSupported(true);
      handler.addFilter(meter, McpConfig.ENDPOINT, EnumSet.of(DispatcherType.REQUEST));
      ServletHolder mcp = new ServletHolder("mcp", transport);
      mcp.setAsyncSupported(true);
      handler.addServlet(mcp, McpConfig.ENDPOINT);
    });
  }

  /** A temporary sandbox with a few files for the demo. */
  private static Path sampleSandbox() throws IOException {
    Path dir = Files.createTempDirectory("pyairtable-mcp-sandbox-");
    Files.writeString(dir.resolve("README.md"), "# MCP sandbox\n\nFiles the MCP tools may read.\n");
    Files.createDirectories(dir.resolve("data"));
    StringBuilder csv = new StringBuilder("name,email,status,score\n");
    for (int i = 1; i <= 50; i++) {
      csv.append(String.format("Customer %03d,customer%d@example.com,%s,%d%n", i, i,
          i % 3 == 0 ? "Done" : i % 3 == 1 ? "Todo" : "In progress", i * 7 % 100));
    }
    Files.writeString(dir.resolve("data/customers.csv"), csv);
    Files.createDirectories(dir.resolve("notes"));
    Files.writeString(dir.resolve("notes/todo.txt"), "review the Q3 pipeline\ncall Customer 007\nupdate scores\n");
    return dir;
  }

  /** The MCP endpoint URL, {@code http://127.0.0.1:<port>/mcp}. */
  public String mcpUrl() {
    return "http://127.0.0.1:" + port() + McpConfig.ENDPOINT;
  }

  /** The sandbox folder the file tools and commands see. */
  public Path sandbox() {
    return sandboxDir;
  }

  /** Subprocesses running right now. */
  public int liveSubprocesses() {
    return runner.liveProcesses();
  }

  /**
   * Once HTTP has drained (tool calls in flight finished and answered): closes the MCP sessions,
   * kills any subprocess left and deletes a temporary sandbox.
   */
  @Override
  protected void release() {
    try {
      server.closeGracefully();
    } catch (RuntimeException e) {
      collector().containFailure("mcp_server_close", e);
    }
    runner.close();
    if (ownedSandbox) {
      try (Stream<Path> files = Files.walk(sandboxDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        collector().containFailure("mcp_sandbox_cleanup", e);
      }
    }
  }
}
