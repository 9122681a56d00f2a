package io.pyairtable.metrics.examples.interop;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.mcp.McpConfig;
import io.pyairtable.metrics.examples.mcp.McpServerService;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MCP TypeScript SDK ({@code Client} + {@code StreamableHTTPClientTransport}) against the MCP
 * server, directly and through the API gateway, with an idle session longer than the gateway's
 * request timeout. Exact outcomes and exact metric deltas.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class McpSdkInteropTest {

  private static final String KEY = "interop-key";
  private static final List<String> TOOLS = List.of("airtable_list_records", "list_files", "read_file", "run_command");
  private final MetricsCollector mcpMetrics = Metrics.builder(Map.of()).serviceName("mcp-server").jvmMetrics(false)
      .initialize();
  private McpServerService mcp;

  @BeforeEach
  void start() throws Exception {
    InteropNode.ensureInstalled();
    mcp = McpServerService.start(McpConfig.builder().port(0).build(), mcpMetrics);
  }

  @AfterEach
  void stop() {
    mcp.close();
  }

  @Test
  void theTypeScriptClientTalksToTheServerAndEveryMessageIsCountedOnce() throws Exception {
    Exposition before = scrape();

    JsonNode seen = InteropNode.run("mcp-client.mjs", Duration.ofSeconds(90), mcp.mcpUrl(), "0");

    assertSession(seen);
    assertMessageDeltas(before, afterTheDelete(before));
  }

  @Test
  void throughTheGatewayAnIdleSessionLongerThanItsTimeoutKeepsWorkingAndChargesNoBreaker() throws Exception {
    int dead = LoopbackPorts.free();
    MetricsCollector gatewayMetrics = Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME)
        .jvmMetrics(false).initialize();
    try (ApiGatewayService gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
        .backends(URI.create("http://127.0.0.1:" + dead), URI.create("http://127.0.0.1:" + mcp.port()),
            URI.create("http://127.0.0.1:" + dead))
        .apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).breaker(2, Duration.ofMinutes(1))
        .backendTimeout(Duration.ofSeconds(1)).streams(Duration.ofMillis(500), Duration.ofSeconds(60)).build(),
        gatewayMetrics)) {
      Exposition before = scrape();

      // idle for 3 s: three times the gateway's request timeout, while the GET stream waits for its first event
      JsonNode seen = InteropNode.run("mcp-client.mjs", Duration.ofSeconds(90), gateway.baseUrl() + "/api/mcp/mcp",
          "3000", KEY);

      assertSession(seen);
      assertMessageDeltas(before, afterTheDelete(before));
      Exposition g = Exposition.parse(gatewayMetrics.exportMetrics());
      String mcpService = ServiceCatalog.MCP_SERVER.serviceName();
      assertThat(g.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), Map.of("circuit_name", "backend_mcp_server"))).isZero();
      assertThat(g.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", mcpService, "status",
          "timeout"))).isZero();
      // initialize, initialized, tools/list, two tools/call and the session DELETE answered by the server
      assertThat(g.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", mcpService, "status", "200")))
          .isGreaterThanOrEqualTo(5.0);
      assertThat(g.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", mcpService, "status", "202")))
          .isEqualTo(1.0);
    }
  }

  private static void assertSession(JsonNode seen) {
    assertThat(seen.path("failure").isMissingNode()).as(seen.toString()).isTrue();
    assertThat(seen.get("errors")).as(seen.toString()).isEmpty();
    assertThat(seen.get("sessionId").asText()).isEqualTo("present");
    assertThat(seen.get("server").asText()).isEqualTo("pyairtable-mcp-server");
    assertThat(seen.get("tools")).extracting(JsonNode::asText).containsExactlyElementsOf(TOOLS);
    assertThat(seen.get("firstCallError").asBoolean()).isFalse();
    assertThat(seen.get("secondCallError").asBoolean()).isFalse();
    assertThat(seen.get("listing").asBoolean()).isTrue();
    assertThat(seen.get("terminated").asBoolean()).isTrue();
  }

  private static void assertMessageDeltas(Exposition before, Exposition after) {
    String messages = MCP_PROTOCOL_MESSAGES_TOTAL.name();
    assertThat(delta(before, after, messages, Map.of("message_type", "initialize", "direction", "inbound",
        "status", "success"))).isEqualTo(1.0);
    assertThat(delta(before, after, messages, Map.of("message_type", "notifications/initialized",
        "direction", "inbound", "status", "success"))).isEqualTo(1.0);
    assertThat(delta(before, after, messages, Map.of("message_type", "tools/list", "direction", "inbound",
        "status", "success"))).isEqualTo(1.0);
    assertThat(delta(before, after, messages, Map.of("message_type", "tools/call", "direction", "inbound",
        "status", "success"))).isEqualTo(2.0);
    assertThat(delta(before, after, messages, Map.of("message_type", "response", "direction", "outbound",
        "status", "success"))).isEqualTo(4.0);
    assertThat(delta(before, after, messages, Map.of("status", "error"))).isZero();
    assertThat(delta(before, after, MCP_TOOL_EXECUTIONS_TOTAL.name(), Map.of("tool_name", "list_files",
        "status", "success"))).isEqualTo(2.0);
    assertThat(delta(before, after, HTTP_REQUESTS_TOTAL.name(), Map.of("method", "DELETE", "endpoint", "/mcp",
        "status_code", "200"))).isEqualTo(1.0);
  }

  /** The server's metrics once the session DELETE is recorded (the HTTP metrics record a request after its answer). */
  private Exposition afterTheDelete(Exposition before) throws InterruptedException {
    Map<String, String> delete = Map.of("method", "DELETE", "endpoint", "/mcp", "status_code", "200");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Exposition after = scrape();
    while (delta(before, after, HTTP_REQUESTS_TOTAL.name(), delete) < 1 && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      after = scrape();
    }
    return after;
  }

  private Exposition scrape() {
    return Exposition.parse(mcpMetrics.exportMetrics());
  }

  private static double delta(Exposition before, Exposition after, String name, Map<String, String> labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }
}
