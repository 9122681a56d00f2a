package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.MetricCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorIsolationTest {

  private static MetricsCollector collector(String name) {
    return Metrics.builder(Map.of()).serviceName(name).jvmMetrics(false).initialize();
  }

  @Test
  void twoCollectorsInOneJvmNeverOverwriteEachOther() {
    MetricsCollector a = collector("service-a");
    MetricsCollector b = collector("service-b");

    a.recordHttpRequest("GET", "/a", 200, 0.1);
    b.recordHttpRequest("GET", "/b", 200, 0.1);
    b.recordHttpRequest("GET", "/b", 200, 0.1);

    assertThat(a.exportMetrics().lines().filter(l -> l.startsWith("http_requests_total{")))
        .containsExactly("http_requests_total{endpoint=\"/a\",method=\"GET\",service=\"service-a\",status_code=\"200\"} 1.0");
    assertThat(b.exportMetrics().lines().filter(l -> l.startsWith("http_requests_total{")))
        .containsExactly("http_requests_total{endpoint=\"/b\",method=\"GET\",service=\"service-b\",status_code=\"200\"} 2.0");
  }

  @Test
  void jvmMetricsAreRegisteredByDefaultWithTheServiceLabelAndCanBeSwitchedOff() {
    MetricsCollector on = Metrics.builder(Map.of()).serviceName("jvm-on").initialize();
    MetricsCollector off = collector("jvm-off");

    // One scrape: the thread count may change between two, while the series must not.
    assertThat(on.exportMetrics().lines().filter(l -> l.startsWith("jvm_threads_current{")))
        .singleElement()
        .satisfies(l -> assertThat(l).matches("jvm_threads_current\\{service=\"jvm-on\"} [0-9.]+"));
    assertThat(off.exportMetrics()).doesNotContain("jvm_");
  }

  @Test
  void anInvalidObservationIsContainedCountedAndLosesTheCount() {
    MetricsCollector c = collector("contained");

    c.recordHttpRequest("GET", "/x", 200, Double.NaN);
    c.recordBusinessOperation("sync", true, -1);
    c.updateCacheHitRatio(7);

    assertThat(c.exportMetrics().lines()).contains(
        "http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"contained\",status_code=\"200\"} 1.0",
        "business_operations_total{operation_type=\"sync\",service=\"contained\",status=\"success\"} 1.0",
        "metrics_internal_errors_total{operation=\"record_http_request\",service=\"contained\"} 1.0",
        "metrics_internal_errors_total{operation=\"record_business_operation\",service=\"contained\"} 1.0",
        "metrics_internal_errors_total{operation=\"update_cache_hit_ratio\",service=\"contained\"} 1.0",
        "cache_hit_ratio{service=\"contained\"} 0.0");
  }

  @Test
  void correlationIdBecomesAnExemplarInOpenMetrics() {
    MetricsCollector c = collector("exemplars");

    c.recordHttpRequest("GET", "/x", 200, 0.03, 0, 5, "req-123");

    assertThat(c.exportOpenMetrics().lines().filter(l -> l.startsWith("http_request_duration_seconds_bucket")
        && l.contains("le=\"0.05\"")))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith(
            "http_request_duration_seconds_bucket{endpoint=\"/x\",method=\"GET\",service=\"exemplars\","
                + "status_code=\"200\",le=\"0.05\"} 1 # {correlation_id=\"req-123\"} 0.03 "));
  }

  @Test
  void circuitBreakerStateShowsExactlyOneStateAtATime() {
    MetricsCollector c = collector("breaker");
    InfrastructureMetrics infra = c.infrastructure();

    infra.updateCircuitBreakerState("airtable", CircuitState.OPEN);
    infra.recordCircuitBreakerTransition("airtable", CircuitState.OPEN, CircuitState.HALF_OPEN);

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith(MetricCatalog.CIRCUIT_BREAKER_STATE.name() + "{")))
        .containsExactlyInAnyOrder(
            "circuit_breaker_state{circuit_name=\"airtable\",service=\"breaker\",circuit_breaker_state=\"closed\"} 0",
            "circuit_breaker_state{circuit_name=\"airtable\",service=\"breaker\",circuit_breaker_state=\"open\"} 0",
            "circuit_breaker_state{circuit_name=\"airtable\",service=\"breaker\",circuit_breaker_state=\"half_open\"} 1");
    assertThat(infra.circuitBreakerState("airtable")).isEqualTo("half_open");
  }

  @Test
  void backendHealthStartsUnknownUntilAProbeSetsIt() {
    MetricsCollector c = collector("gw");

    c.apiGateway().recordBackendRequest("mcp-server", "127.0.0.1:8001", "200");
    assertThat(c.apiGateway().backendHealth("mcp-server", "127.0.0.1:8001")).isEqualTo("unknown");
    c.apiGateway().updateBackendHealth("mcp-server", "127.0.0.1:8001", BackendHealth.UNHEALTHY);

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("gateway_backend_health_status{") && l.endsWith(" 1")))
        .containsExactly("gateway_backend_health_status{backend_instance=\"127.0.0.1:8001\",backend_service=\"mcp-server\","
            + "service=\"gw\",gateway_backend_health_status=\"unhealthy\"} 1");
  }

  @Test
  void activeConnectionsGoUpOnEntryAndBackDownOnExit() {
    MetricsCollector c = collector("conn");

    c.incrementActiveConnections();
    c.incrementActiveConnections();
    c.decrementActiveConnections();
    assertThat(c.exportMetrics().lines()).contains("active_connections{service=\"conn\"} 1.0");
    c.decrementActiveConnections();

    assertThat(c.exportMetrics().lines()).contains("active_connections{service=\"conn\"} 0.0");
  }

  @Test
  void rateLimitHitCounterIsVisibleAtZeroOnceItsLimitReportsRemaining() {
    MetricsCollector c = collector("limits");

    c.updateRateLimitRemaining("appAAAAAAAAAAAAAA", "base", 4);

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("airtable_rate_limit_hits_total{")))
        .containsExactly("airtable_rate_limit_hits_total{base_id=\"appAAAAAAAAAAAAAA\",limit_type=\"base\","
            + "service=\"limits\"} 0.0");
  }
}
