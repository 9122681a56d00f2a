package io.pyairtable.metrics.examples.mcp;

import static io.pyairtable.metrics.catalog.MetricCatalog.MCP_PROTOCOL_MESSAGES_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A message the transport refuses before the SDK handles it is counted as an error, not a success. */
@Timeout(60)
class McpRefusalMeteringTest {

  private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}";
  private final HttpClient http = HttpClient.newHttpClient();
  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("mcp-server").jvmMetrics(false)
      .initialize();
  private McpServerService mcp;

  @BeforeEach
  void start() {
    mcp = McpServerService.start(McpConfig.builder().port(0).build(), metrics);
  }

  @AfterEach
  void stop() {
    mcp.close();
  }

  @Test
  void aRequestForAnUnknownSessionIsAnInboundErrorAnsweredWithAnOutboundError() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl()))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Mcp-Session-Id", "no-such-session").POST(HttpRequest.BodyPublishers.ofString(TOOLS_LIST)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(404);
    Exposition e = Exposition.parse(metrics.exportMetrics());
    String name = MCP_PROTOCOL_MESSAGES_TOTAL.name();
    assertThat(e.sum(name, Map.of("message_type", "tools/list", "direction", "inbound", "status", "error")))
        .isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("message_type", "tools/list", "direction", "inbound", "status", "success")))
        .isZero();
    assertThat(e.sum(name, Map.of("message_type", "response", "direction", "outbound", "status", "error")))
        .isEqualTo(1.0);
  }

  @Test
  void anInitializeTheSdkTakesIsStillASuccess() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl()))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
            + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    Exposition e = Exposition.parse(metrics.exportMetrics());
    assertThat(e.sum(MCP_PROTOCOL_MESSAGES_TOTAL.name(),
        Map.of("message_type", "initialize", "direction", "inbound", "status", "success"))).isEqualTo(1.0);
    assertThat(e.sum(MCP_PROTOCOL_MESSAGES_TOTAL.name(), Map.of("direction", "inbound", "status", "error"))).isZero();
  }
}
