package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import io.pyairtable.metrics.catalog.MetricCatalog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which storage the HTTP families get (cells by default, client_java histograms with native
 * histograms configured), and the duration's exemplars in the cells: one per bucket, the latest
 * offered, with the trace context when a tracer is present.
 */
class HttpStorageTest {

  private static final String OK_BUCKET_005 =
      "http_request_duration_seconds_bucket{endpoint=\"/x\",method=\"GET\",service=\"edge\",status_code=\"200\",le=\"0.05\"}";
  private static final String OK_BUCKET_25 =
      "http_request_duration_seconds_bucket{endpoint=\"/x\",method=\"GET\",service=\"edge\",status_code=\"200\",le=\"2.5\"}";

  private static MetricsCollector collector(Map<String, String> env) {
    return Metrics.builder(env).serviceName("edge").jvmMetrics(false).initialize();
  }

  @Test
  void withNativeHistogramsConfiguredTheSeriesAreClientJavaHistogramsWithTheSameClassicExposition() {
    MetricsCollector nativeOnes = collector(Map.of("METRICS_NATIVE_HISTOGRAMS", "true"));
    MetricsCollector cells = collector(Map.of());

    for (MetricsCollector c : List.of(nativeOnes, cells)) {
      c.recordHttpRequest("GET", "/x", 200, 0.042, 120, 2048, "req-1");
      c.recordHttpRequest("GET", "/x", 500, 3.0, -1, 10);
    }

    assertThat(nativeOnes.registry().http().series("GET", "/x", 200)).isInstanceOf(ClientJavaHttpSeries.class);
    assertThat(cells.registry().http().series("GET", "/x", 200)).isInstanceOf(CellHttpSeries.class);
    assertThat(nativeOnes.exportMetrics().lines().filter(l -> l.startsWith("http_")))
        .containsExactlyElementsOf(cells.exportMetrics().lines().filter(l -> l.startsWith("http_")).toList())
        .contains("http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"edge\",status_code=\"500\"} 1.0",
            "http_request_size_bytes_count{endpoint=\"/x\",method=\"GET\",service=\"edge\"} 1");
    // native buckets beside the classic ones (served in protobuf) only with client_java's histograms
    assertThat(durations(nativeOnes)).isNotEmpty().allMatch(HistogramDataPointSnapshot::hasNativeHistogramData);
    assertThat(durations(cells)).isNotEmpty().noneMatch(HistogramDataPointSnapshot::hasNativeHistogramData)
        .allMatch(HistogramDataPointSnapshot::hasClassicHistogramData);
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES)
  void eachDurationBucketKeepsTheLatestExemplarOfferedOnceDue() {
    MetricsCollector c = collector(Map.of());

    c.recordHttpRequest("GET", "/x", 200, 0.042, -1, -1, "first");
    recordUntilExposed(c, 2.2, "other-bucket", OK_BUCKET_25);
    recordUntilExposed(c, 0.042, "latest", OK_BUCKET_005);

    assertThat(c.exportOpenMetrics().lines())
        .anyMatch(l -> l.startsWith(OK_BUCKET_005) && l.contains(" # {correlation_id=\"latest\"} 0.042 "))
        .anyMatch(l -> l.startsWith(OK_BUCKET_25) && l.contains(" # {correlation_id=\"other-bucket\"} 2.2 "))
        .noneMatch(l -> l.contains("\"first\""))
        .noneMatch(l -> l.startsWith("http_requests_total") && l.contains("#"));
  }

  @Test
  void aSampledSpanAddsItsTraceAndSpanIdsToTheExemplarAndIsMarked() {
    FakeSpan span = new FakeSpan();
    SpanContextSupplier.setSpanContext(span);
    try {
      MetricsCollector c = collector(Map.of());

      c.recordHttpRequest("GET", "/x", 200, 0.042, -1, -1, "req-9");

      assertThat(c.exportOpenMetrics().lines()).anyMatch(l -> l.startsWith(OK_BUCKET_005)
          && l.contains(" # {correlation_id=\"req-9\",span_id=\"s-1\",trace_id=\"t-1\"} 0.042 "));
      assertThat(span.marked).isTrue();
    } finally {
      SpanContextSupplier.setSpanContext(null);
    }
  }

  @Test
  void withoutACorrelationIdThereIsNoExemplar() {
    MetricsCollector c = collector(Map.of());

    c.recordHttpRequest("GET", "/x", 200, 0.042, -1, -1);

    assertThat(c.exportOpenMetrics().lines()).filteredOn(l -> l.startsWith("http_")).noneMatch(l -> l.contains("#"));
  }

  /** Offers {@code id} (due at most every 100 ms) until the bucket shows it; bounded by the test's timeout. */
  private static void recordUntilExposed(MetricsCollector c, double seconds, String id, String bucket) {
    while (c.exportOpenMetrics().lines()
        .noneMatch(l -> l.startsWith(bucket) && l.contains("{correlation_id=\"" + id + "\"}"))) {
      c.recordHttpRequest("GET", "/x", 200, seconds, -1, -1, id);
      Thread.onSpinWait();
    }
  }

  private static List<HistogramDataPointSnapshot> durations(MetricsCollector c) {
    return ((HistogramSnapshot) c.prometheusRegistry()
        .scrape(n -> n.equals(MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.baseName())).get(0)).getDataPoints();
  }

  private static final class FakeSpan implements SpanContext {
    volatile boolean marked;

    @Override
    public String getCurrentTraceId() {
      return "t-1";
    }

    @Override
    public String getCurrentSpanId() {
      return "s-1";
    }

    @Override
    public boolean isCurrentSpanSampled() {
      return true;
    }

    @Override
    public void markCurrentSpanAsExemplar() {
      marked = true;
    }
  }
}
