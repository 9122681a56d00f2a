package io.pyairtable.metrics.examples.gateway;

import static io.pyairtable.metrics.catalog.MetricCatalog.ACTIVE_CONNECTIONS;
import static io.pyairtable.metrics.catalog.MetricCatalog.ERRORS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.demo.McpDemoSession;
import io.pyairtable.metrics.examples.mcp.McpConfig;
import io.pyairtable.metrics.examples.mcp.McpServerService;
import io.pyairtable.metrics.integrations.testing.Conditions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stopping the demo's path with an MCP session open (the official SDK's client, through the API
 * gateway's relay to the MCP server): its standalone event stream holds neither stop for the grace
 * period, and neither service records it as a 499 from the client.
 */
class ApiGatewayDrainTest {

  private static final String KEY = "drain-key";

  @Test
  @Timeout(90)
  void anOpenMcpSessionsEventStreamEndsAtOnceWhenTheGatewayAndThenTheMcpServerStop() throws Exception {
    MetricsCollector gatewayMetrics = Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME)
        .jvmMetrics(false).initialize();
    MetricsCollector mcpMetrics = Metrics.builder(Map.of()).serviceName("mcp-server").jvmMetrics(false).initialize();
    McpServerService mcp = McpServerService.start(McpConfig.builder().build(), mcpMetrics);
    URI mcpUri = URI.create("http://127.0.0.1:" + mcp.port());
    ApiGatewayService gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
        .backends(mcpUri, mcpUri, mcpUri).apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).build(),
        gatewayMetrics);
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
            .builder("http://127.0.0.1:" + gateway.port()).endpoint(McpDemoSession.ENDPOINT)
            .requestBuilder(HttpRequest.newBuilder().header(ApiKeyAuthenticator.API_KEY_HEADER, KEY)).build())
        .requestTimeout(Duration.ofSeconds(20)).build();
    long gatewayStop;
    long mcpStop;
    try {
      client.initialize();
      client.listTools();
      // the SDK's client opens its standalone GET stream after initializing: once the three POSTs
      // (initialize, the initialized notification, tools/list) are answered, the relayed stream is the
      // one request in progress on both
      Conditions.await(Duration.ofSeconds(10), "the SDK's GET stream open on both services",
          () -> posts(gatewayMetrics) == 3 && posts(mcpMetrics) == 3
              && active(gatewayMetrics) == 1 && active(mcpMetrics) == 1);
      gatewayStop = timed(gateway::close);
      mcpStop = timed(mcp::close);
    } finally {
      client.closeGracefully();
    }
    System.out.println("with an MCP session open: the gateway stopped in " + gatewayStop
        + " ms, the MCP server in " + mcpStop + " ms");
    // each has a shutdown grace of 10 s, which the stream would have used up
    assertThat(gatewayStop).isLessThan(5_000);
    assertThat(mcpStop).isLessThan(5_000);

    // MCP's SDK sends its stream's headers with the first event: ended before any, it had sent nothing,
    // so both record the 503 of a stopping server, not the client's 499 (the gateway's relay, seeing its
    // client's connection closed, sets 499 itself, after the end)
    Exposition g = Exposition.parse(gatewayMetrics.exportMetrics());
    assertThat(g.find(HTTP_REQUESTS_TOTAL.name(), "endpoint", "/api/mcp/<path>", "method", "GET")).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("status_code", "503"))
        .satisfies(s -> assertThat(s.value()).isEqualTo(1));
    assertThat(g.sum(HTTP_REQUESTS_TOTAL.name(), "status_code", "499")).isZero();
    // the client, its stream cut, may try again before the listener closes: turned away like any late request
    assertThat(g.find(HTTP_REQUESTS_TOTAL.name(), "endpoint", "unmatched"))
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("status_code", "503"));
    assertThat(g.find(ERRORS_TOTAL.name(), "endpoint", "/api/mcp/<path>")).singleElement() // the 503's, no other
        .satisfies(s -> assertThat(s.labels()).containsEntry("error_type", "http_5xx"));
    assertThat(active(gatewayMetrics)).isZero();
    Exposition m = Exposition.parse(mcpMetrics.exportMetrics());
    assertThat(m.find(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/mcp")).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("status_code", "503"))
        .satisfies(s -> assertThat(s.value()).isEqualTo(1));
    assertThat(m.sum(HTTP_REQUESTS_TOTAL.name(), "status_code", "499")).isZero();
    assertThat(active(mcpMetrics)).isZero();
  }

  private static double posts(MetricsCollector metrics) {
    return Exposition.parse(metrics.exportMetrics()).sum(HTTP_REQUESTS_TOTAL.name(), "method", "POST");
  }

  private static double active(MetricsCollector metrics) {
    return Exposition.parse(metrics.exportMetrics()).sum(ACTIVE_CONNECTIONS.name());
  }

  private static long timed(Runnable stop) {
    long start = System.nanoTime();
    stop.run();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
