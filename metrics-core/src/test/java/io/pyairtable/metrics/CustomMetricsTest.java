package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.datapoints.StateSetDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomMetricsTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("custom").jvmMetrics(false).initialize();
  private final MetricsRegistry registry = collector.registry();

  @Test
  void readmeCustomCounterCarriesTheCommonLabels() {
    MetricFamily<CounterDataPoint> custom = registry.createCounter("custom_operations_total",
        "Custom business operations", "operation_type", "status");

    custom.labels("data_sync", "success").inc();

    assertThat(collector.exportMetrics().lines()).contains(
        "custom_operations_total{operation_type=\"data_sync\",service=\"custom\",status=\"success\"} 1.0");
  }

  @Test
  void commonLabelsAddTheServiceToExtraPairs() {
    Labels labels = registry.commonLabels("operation_type", "data_sync", "status", "success");

    assertThat(labels.toString()).isEqualTo("{operation_type=\"data_sync\",service=\"custom\",status=\"success\"}");
  }

  @Test
  void theSameDefinitionTwiceReturnsTheExistingFamily() {
    MetricFamily<GaugeDataPoint> first = registry.createGauge("queue_depth", "Queue depth.", "queue");
    MetricFamily<GaugeDataPoint> second = registry.createGauge("queue_depth", "Queue depth.", "queue");

    assertThat(second).isSameAs(first);
  }

  @Test
  void theSameNameWithOtherLabelsIsAnErrorNamingBothDefinitions() {
    registry.createGauge("queue_depth", "Queue depth.", "queue");

    assertThatThrownBy(() -> registry.createGauge("queue_depth", "Queue depth.", "queue", "region"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric queue_depth is already defined as gauge queue_depth[queue]; cannot define it again"
            + " as gauge queue_depth[queue, region]");
  }

  @Test
  void theSameNameWithAnotherTypeIsAnErrorNamingBothDefinitions() {
    registry.createHistogram("job_seconds", "Job time.", new double[] {1, 5}, "task");

    assertThatThrownBy(() -> registry.createGauge("job_seconds", "Job time.", "task"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric job_seconds is already defined as histogram job_seconds[task] buckets [1.0, 5.0];"
            + " cannot define it again as gauge job_seconds[task]");
  }

  @Test
  void aCounterNamedLikeACatalogueFamilyWithOtherLabelsIsRefused() {
    assertThatThrownBy(() -> registry.createCounter("http_requests_total", "mine", "path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("metric http_requests_total is already defined as counter http_requests_total"
            + "[method, endpoint, status_code]");
  }

  @Test
  void invalidMetricNamesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> registry.createGauge("queue-depth", "x"))
        .hasMessage("invalid metric name 'queue-depth': use only ASCII letters, digits and underscores,"
            + " not starting with a digit");
    assertThatThrownBy(() -> registry.createGauge("app:queue", "x"))
        .hasMessageEndingWith("(colons are reserved for recording rules)");
    assertThatThrownBy(() -> registry.createGauge("__queue", "x"))
        .hasMessage("invalid metric name '__queue': names starting with __ are reserved");
    assertThatThrownBy(() -> registry.createHistogram("latency_count", "x", new double[] {1}))
        .hasMessage("invalid histogram name 'latency_count': the suffix _count is reserved for series Prometheus"
            + " derives from a family");
    assertThatThrownBy(() -> registry.createGauge("x", " "))
        .hasMessage("metric x needs a help text");
  }

  @Test
  void invalidLabelNamesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> registry.createCounter("a_total", "x", "user-id"))
        .hasMessage("invalid label name 'user-id' for a_total: use only ASCII letters, digits and underscores,"
            + " not starting with a digit");
    assertThatThrownBy(() -> registry.createCounter("d_total", "x", "kind", "kind"))
        .hasMessage("label name 'kind' appears twice for d_total");
    assertThatThrownBy(() -> registry.createCounter("e_total", "x", "job"))
        .hasMessageStartingWith("invalid label name 'job' for e_total: it is reserved here");
  }

  @Test
  void labelNamesClientJavaRefusesComeBackNamingTheDefinition() {
    assertThatThrownBy(() -> registry.createCounter("b_total", "x", "service"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot register counter b_total[service]: service: duplicate label name");
    assertThatThrownBy(() -> registry.createHistogram("c_seconds", "x", new double[] {1}, "le"))
        .hasMessage("cannot register histogram c_seconds[le] buckets [1.0]: le: illegal label name for this metric"
            + " type");
    assertThatThrownBy(() -> registry.createSummary("f_bytes", "x", "quantile"))
        .hasMessage("cannot register summary f_bytes[quantile]: quantile: illegal label name for this metric type");
    assertThatThrownBy(() -> registry.createGauge("g_depth", "x", "__queue"))
        .hasMessage("cannot register gauge g_depth[__queue]: __queue: illegal label name");
    assertThat(collector.exportMetrics()).doesNotContain("b_total", "c_seconds", "f_bytes", "g_depth");
  }

  @Test
  void histogramSummaryAndStateSetRecordThroughTheirDataPoints() {
    MetricFamily<DistributionDataPoint> h = registry.createHistogram("job_seconds", "Job time.",
        new double[] {1, 5}, "task");
    MetricFamily<DistributionDataPoint> s = registry.createSummary("payload_bytes", "Payload size.");
    MetricFamily<StateSetDataPoint> st = registry.createStateSet("feature_flag", "Flags.",
        new String[] {"on", "off"}, "flag");

    h.labels("import").observe(3);
    s.labels().observe(100);
    st.labels("dark_mode").setTrue("on");

    assertThat(collector.exportMetrics().lines()).contains(
        "job_seconds_bucket{service=\"custom\",task=\"import\",le=\"5.0\"} 1",
        "job_seconds_count{service=\"custom\",task=\"import\"} 1",
        "payload_bytes_count{service=\"custom\"} 1",
        "feature_flag{flag=\"dark_mode\",service=\"custom\",feature_flag=\"on\"} 1",
        "feature_flag{flag=\"dark_mode\",service=\"custom\",feature_flag=\"off\"} 0");
  }
}
