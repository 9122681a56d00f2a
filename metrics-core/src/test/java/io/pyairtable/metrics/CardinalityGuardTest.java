package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.internal.LabelSanitizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {

  private static MetricsCollector collector(int budget) {
    return Metrics.builder(Map.of()).serviceName("guard").jvmMetrics(false).seriesBudget(budget).initialize();
  }

  private static CounterSnapshot counter(MetricsCollector c, String name) {
    return (CounterSnapshot) c.scrape().stream()
        .filter(s -> (s.getMetadata().getPrometheusName() + "_total").equals(name))
        .findFirst().orElseThrow();
  }

  private static double overflowOf(MetricsCollector c, String family) {
    return counter(c, MetricCatalog.METRICS_CARDINALITY_OVERFLOW_TOTAL.name()).getDataPoints().stream()
        .filter(d -> family.equals(d.getLabels().get("metric")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  @Test
  void aMillionDistinctLabelValuesKeepTheBudgetAndCountTheRestAsOverflow() {
    MetricsCollector c = collector(1_000);

    for (int i = 0; i < 1_000_000; i++) {
      c.recordCacheOperation("get-" + i, "hit");
    }

    CounterSnapshot ops = counter(c, MetricCatalog.CACHE_OPERATIONS_TOTAL.name());
    assertThat(ops.getDataPoints()).hasSize(1_000 + 1);
    CounterSnapshot.CounterDataPointSnapshot overflow = ops.getDataPoints().stream()
        .filter(d -> d.getLabels().get("operation").equals(LabelSanitizer.OVERFLOW)).findFirst().orElseThrow();
    assertThat((Object) overflow.getLabels()).isEqualTo(Labels.of("operation", "_overflow", "result", "_overflow",
        "service", "guard"));
    assertThat(overflow.getValue()).isEqualTo(999_000.0);
    assertThat(overflowOf(c, MetricCatalog.CACHE_OPERATIONS_TOTAL.name())).isEqualTo(999_000.0);
  }

  @Test
  void httpRequestsPastTheBudgetFoldIntoOneOverflowSeries() {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("guard").jvmMetrics(false)
        .seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 10).initialize();

    for (int i = 0; i < 100; i++) {
      c.recordHttpRequest("GET", "/raw/" + i, 200, 0.01);
    }

    assertThat(counter(c, MetricCatalog.HTTP_REQUESTS_TOTAL.name()).getDataPoints()).hasSize(11);
    assertThat(overflowOf(c, MetricCatalog.HTTP_REQUESTS_TOTAL.name())).isEqualTo(90.0);
  }

  @Test
  void everyFamilyThatFoldsCountsItsOverflowHistogramsIncluded() {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("guard").jvmMetrics(false)
        .seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 10)
        .seriesBudget(MetricCatalog.AIRTABLE_API_DURATION_SECONDS.name(), 5)
        .seriesBudget(MetricCatalog.AIRTABLE_API_REQUESTS_TOTAL.name(), 5).initialize();

    for (int i = 0; i < 100; i++) {
      c.recordHttpRequest("GET", "/raw/" + i, 200, 0.01, 10, 20);
      c.recordAirtableRequest("app" + i, "tbl", "list", 200, 0.1);
    }

    assertThat(overflowOf(c, MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.name())).isEqualTo(90.0);
    assertThat(overflowOf(c, MetricCatalog.HTTP_REQUEST_SIZE_BYTES.name())).isEqualTo(90.0);
    assertThat(overflowOf(c, MetricCatalog.HTTP_RESPONSE_SIZE_BYTES.name())).isEqualTo(90.0);
    assertThat(overflowOf(c, MetricCatalog.AIRTABLE_API_REQUESTS_TOTAL.name())).isEqualTo(95.0);
    assertThat(overflowOf(c, MetricCatalog.AIRTABLE_API_DURATION_SECONDS.name())).isEqualTo(95.0);
  }

  @Test
  void labelValuesSeenBeforeTheBudgetWasReachedKeepTheirOwnSeries() {
    MetricsCollector c = collector(2);
    c.recordCacheOperation("get", "hit");
    c.recordCacheOperation("get", "miss");
    c.recordCacheOperation("put", "success");

    c.recordCacheOperation("get", "hit");

    CounterSnapshot ops = counter(c, MetricCatalog.CACHE_OPERATIONS_TOTAL.name());
    assertThat(ops.getDataPoints()).extracting(d -> d.getLabels().get("operation") + "/"
        + d.getLabels().get("result") + "=" + d.getValue())
        .containsExactlyInAnyOrder("get/hit=2.0", "get/miss=1.0", "_overflow/_overflow=1.0");
  }

  @Test
  void nullBecomesUnknownAndOverlongValuesAreCut() {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("guard").jvmMetrics(false).labelValueMaxLength(8)
        .initialize();

    c.recordCacheOperation(null, "0123456789abcdef");

    CounterSnapshot ops = counter(c, MetricCatalog.CACHE_OPERATIONS_TOTAL.name());
    assertThat(ops.getDataPoints()).singleElement()
        .satisfies(d -> assertThat((Object) d.getLabels()).isEqualTo(Labels.of("operation", "unknown", "result", "01234567",
            "service", "guard")));
  }

  @Test
  void cuttingNeverSplitsASurrogatePair() {
    LabelSanitizer values = new LabelSanitizer(4);

    assertThat(values.sanitize("abc\uD83D\uDE80def")).isEqualTo("abc");
    assertThat(values.sanitize("ab\uD83D\uDE80def")).isEqualTo("ab\uD83D\uDE80");
  }

  @Test
  void concurrentIncrementsAreAllCounted() throws Exception {
    MetricsCollector c = collector(1_000);
    int threads = 8;
    int increments = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < increments; i++) {
            c.recordCacheOperation("get", i % 2 == 0 ? "hit" : "miss");
            c.recordHttpRequest("GET", "/t/" + (i % 4), 200, 0.001);
            c.recordError("E" + thread, "/x");
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    double cacheTotal = counter(c, MetricCatalog.CACHE_OPERATIONS_TOTAL.name()).getDataPoints().stream()
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    assertThat(cacheTotal).isEqualTo((double) threads * increments);
    assertThat(counter(c, MetricCatalog.HTTP_REQUESTS_TOTAL.name()).getDataPoints())
        .hasSize(4)
        .allSatisfy(d -> assertThat(d.getValue()).isEqualTo(threads * increments / 4.0));
    assertThat(counter(c, MetricCatalog.ERRORS_TOTAL.name()).getDataPoints())
        .hasSize(threads)
        .allSatisfy(d -> assertThat(d.getValue()).isEqualTo((double) increments));
  }

  @Test
  void customFamilyDataPointsAreBoundOnceAndReused() {
    MetricsCollector c = collector(1_000);
    MetricFamily<CounterDataPoint> syncs = c.registry().createCounter("data_syncs", "Data syncs.", "source");

    assertThat(syncs.labels("airtable")).isSameAs(syncs.labels("airtable"));
    assertThat(syncs.seriesCount()).isEqualTo(1);
  }
}
