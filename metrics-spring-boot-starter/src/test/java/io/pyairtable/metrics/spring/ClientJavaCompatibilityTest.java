package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.pyairtable.metrics.ApiGatewayMetrics;
import io.pyairtable.metrics.BackendHealth;
import io.pyairtable.metrics.CircuitState;
import io.pyairtable.metrics.InfrastructureMetrics;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.spring.testing.Promtool;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * metrics-core is built on client_java 1.10; a Boot application runs it on the 1.4.3 Boot
 * manages. Every record method, exemplars, native histograms, both text formats and a native
 * collector registered through the registry, on this module's 1.4.3 class path.
 */
class ClientJavaCompatibilityTest {

  @Test
  void everyRecordMethodAndBothTextFormatsWorkOnBootsClientJava() throws Exception {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("compat").version("1.0.0").jvmMetrics(false)
        .nativeHistograms(true).versionOnEverySeries(true).initialize();

    c.recordHttpRequest("GET", "/users/{id}", 200, 0.1, 10, 20, "req-1");
    c.recordError("IllegalStateException", "/users/{id}");
    c.recordBusinessOperation("data_sync", true, 0.5);
    c.recordAirtableRequest("appAAAAAAAAAAAAAA", "Users", "list", 200, 0.3);
    c.recordRateLimitHit("appAAAAAAAAAAAAAA", "base");
    c.recordCacheOperation("get", "hit");
    c.updateCacheHitRatio(0.75);
    InfrastructureMetrics i = c.infrastructure();
    i.recordRedisOperation("get", true, 0.001);
    i.updateDatabaseConnections("users", 1, 2, 0, 10);
    i.updateCircuitBreakerState("airtable", CircuitState.OPEN);
    i.recordCircuitBreakerFailure("airtable");
    c.airtableGateway().updateRequestQueueSize("appAAAAAAAAAAAAAA", 2);
    c.mcpServer().recordToolExecution("list_files", true, 0.4);
    c.llmOrchestrator().recordTokenUsage("gemini-2.5-flash", 10, 20, 3, 4);
    c.llmOrchestrator().sessionStarted();
    ApiGatewayMetrics g = c.apiGateway();
    g.updateBackendHealth("mcp-server", "127.0.0.1:8001", BackendHealth.HEALTHY);
    Histogram own = c.registry().register(Histogram.builder().name("job_seconds").help("Job time.")
        .classicUpperBounds(1, 5).build());
    own.observe(2);

    String text = c.exportMetrics();
    String openMetrics = c.exportOpenMetrics();

    assertThat(text.lines()).contains(
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"compat\",status_code=\"200\","
            + "version=\"1.0.0\"} 1.0",
        "circuit_breaker_state{circuit_name=\"airtable\",service=\"compat\",version=\"1.0.0\","
            + "circuit_breaker_state=\"open\"} 1",
        "job_seconds_count{service=\"compat\",version=\"1.0.0\"} 1",
        "llm_active_sessions{service=\"compat\",version=\"1.0.0\"} 1.0");
    assertThat(text.lines().filter(l -> l.startsWith("metrics_internal_errors_total{"))).isEmpty();
    assertThat(openMetrics).contains("# {correlation_id=\"req-1\"}").endsWith("# EOF\n");
    Promtool.Result lint = Promtool.checkMetrics(text);
    assertThat(lint.output()).isEmpty();
    assertThat(lint.exitCode()).isZero();
  }
}
