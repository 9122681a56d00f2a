package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {

  @Test
  void recordedHttpRequestShowsAsOneExpositionLineWithExactLabels() {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("test-service").jvmMetrics(false)
        .initialize();

    metrics.recordHttpRequest("GET", "/test", 200, 0.1);

    String exposition = metrics.exportMetrics();
    System.out.println(exposition);
    assertThat(exposition.lines())
        .contains("http_requests_total{endpoint=\"/test\",method=\"GET\",service=\"test-service\",status_code=\"200\"} 1.0");
  }
}
