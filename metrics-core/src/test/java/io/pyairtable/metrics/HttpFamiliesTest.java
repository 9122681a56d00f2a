package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.MetricType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry owns the HTTP families; exemplars follow the definition. */
class HttpFamiliesTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("owner").jvmMetrics(false).initialize();
  private final MetricsRegistry registry = collector.registry();

  @Test
  void theHttpFamiliesHaveNoMetricFamilyAndSaySoNamingTheRecordCall() {
    for (MetricDefinition d : List.of(MetricCatalog.HTTP_REQUESTS_TOTAL, MetricCatalog.HTTP_REQUEST_DURATION_SECONDS,
        MetricCatalog.HTTP_REQUEST_SIZE_BYTES, MetricCatalog.HTTP_RESPONSE_SIZE_BYTES)) {
      assertThatThrownBy(() -> registry.family(d))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("metric " + d.name() + " is recorded through MetricsCollector.recordHttpRequest;"
              + " it has no MetricFamily");
    }
  }

  @Test
  void definitionsListTheFourHttpFamiliesThenTheCreatedOnes() {
    registry.createCounter("jobs_total", "Jobs.", "queue");

    List<String> names = registry.definitions().stream().map(MetricDefinition::name).toList();

    assertThat(names.subList(0, 4)).containsExactly("http_requests_total", "http_request_duration_seconds",
        "http_request_size_bytes", "http_response_size_bytes");
    assertThat(names).contains("errors_total", "jobs_total").doesNotHaveDuplicates();
    assertThat(registry.families()).extracting(f -> f.definition().name())
        .doesNotContain("http_requests_total", "http_request_duration_seconds");
  }

  @Test
  void onlyTheRequestDurationOffersExemplarsInTheCatalogue() {
    assertThat(MetricCatalog.all().stream().filter(MetricDefinition::exemplars).toList())
        .containsExactly(MetricCatalog.HTTP_REQUEST_DURATION_SECONDS);
  }

  @Test
  void aFamilyKeepsExemplarsOnlyWhenItsDefinitionAsksForThem() {
    MetricDefinition plain = new MetricDefinition("plain_seconds", MetricType.HISTOGRAM, MetricGroup.SELF, "Plain.",
        List.of(), List.of(1.0), List.of(), "s");
    MetricDefinition traced = new MetricDefinition("traced_seconds", MetricType.HISTOGRAM, MetricGroup.SELF,
        "Traced.", List.of(), List.of(1.0), List.of(), "s").withExemplars();

    registry.<DistributionDataPoint>family(plain).labels().observeWithExemplar(0.5, Labels.of("trace_id", "p1"));
    registry.<DistributionDataPoint>family(traced).labels().observeWithExemplar(0.5, Labels.of("trace_id", "t1"));

    assertThat(collector.exportOpenMetrics().lines())
        .contains("plain_seconds_bucket{service=\"owner\",le=\"1.0\"} 1")
        .anyMatch(l -> l.startsWith("traced_seconds_bucket{service=\"owner\",le=\"1.0\"} 1 # {trace_id=\"t1\"} 0.5 "))
        .noneMatch(l -> l.contains("p1"));
  }
}
