package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeMetricsTest {

  @Test
  void aClientJavaCounterRegisteredThroughTheRegistryCarriesTheServiceLabel() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("jobs").jvmMetrics(false).initialize();

    Counter jobs = collector.registry().register(
        Counter.builder().name("jobs_total").help("Jobs run.").labelNames("queue").build());
    jobs.labelValues("default").inc(3);

    assertThat(collector.exportMetrics().lines()).contains("jobs_total{queue=\"default\",service=\"jobs\"} 3.0");
  }

  @Test
  void theVersionLabelIsAddedWhenOptedInAndAHistogramKeepsItsBuckets() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("jobs").version("2.1.0").jvmMetrics(false)
        .versionOnEverySeries(true).initialize();

    Histogram h = collector.registry().register(
        Histogram.builder().name("job_seconds").help("Job time.").classicUpperBounds(1, 5).classicOnly().build());
    h.observe(2);

    assertThat(collector.exportMetrics().lines()).contains(
        "job_seconds_bucket{service=\"jobs\",version=\"2.1.0\",le=\"1.0\"} 0",
        "job_seconds_bucket{service=\"jobs\",version=\"2.1.0\",le=\"5.0\"} 1",
        "job_seconds_count{service=\"jobs\",version=\"2.1.0\"} 1",
        "job_seconds_sum{service=\"jobs\",version=\"2.1.0\"} 2.0");
  }

  @Test
  void aMultiCollectorGetsTheServiceLabelAndASeriesWithItsOwnServiceKeepsIt() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("jobs").jvmMetrics(false).initialize();
    MultiCollector queues = () -> MetricSnapshots.of(GaugeSnapshot.builder().name("queue_depth").help("Depth.")
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("queue", "a")).value(4).build())
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(Labels.of("queue", "b", "service", "other")).value(1).build())
        .build());

    collector.registry().register(queues);

    assertThat(collector.exportMetrics().lines()).contains(
        "queue_depth{queue=\"a\",service=\"jobs\"} 4.0",
        "queue_depth{queue=\"b\",service=\"other\"} 1.0");
  }
}
