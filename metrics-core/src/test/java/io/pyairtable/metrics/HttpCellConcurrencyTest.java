package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads recording into the same HTTP series at once lose nothing (exact buckets, counts and
 * sums), a record that finds its cell taken moves to another cell, and a scrape running beside
 * the records always sees each request whole.
 */
class HttpCellConcurrencyTest {

  private static final int THREADS = 4;
  private static final int RECORDS = 20_000;

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("orders").jvmMetrics(false).initialize();

  @Test
  @Timeout(60)
  void recordsFromManyThreadsAreAllCountedInTheirBucketsWithExactSums() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < RECORDS; i++) {
            // 0.25 s and 2 s (both bucket bounds): sums exact in binary
            collector.recordHttpRequest("GET", "/a", i % 4 == 0 ? 404 : 200, i % 2 == 0 ? 0.25 : 2.0, i % 3, 1000);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    HistogramDataPointSnapshot ok = point(scrape(), HTTP_REQUEST_DURATION_SECONDS.baseName(), "200");
    HistogramDataPointSnapshot notFound = point(scrape(), HTTP_REQUEST_DURATION_SECONDS.baseName(), "404");
    int per404 = RECORDS / 4; // i % 4 == 0: all even, so 0.25 s
    assertThat(notFound.getCount()).isEqualTo((long) THREADS * per404);
    assertThat(notFound.getSum()).isEqualTo(THREADS * per404 * 0.25);
    assertThat(bucket(notFound, 0.25)).isEqualTo(THREADS * per404);
    long okCount = (long) THREADS * (RECORDS - per404);
    assertThat(ok.getCount()).isEqualTo(okCount);
    assertThat(bucket(ok, 0.25)).isEqualTo((long) THREADS * (RECORDS / 2 - per404));
    assertThat(bucket(ok, 2.0)).isEqualTo((long) THREADS * RECORDS / 2);
    assertThat(ok.getSum()).isEqualTo(THREADS * ((RECORDS / 2 - per404) * 0.25 + RECORDS / 2 * 2.0));
    HistogramDataPointSnapshot requestSize = point(scrape(), HTTP_REQUEST_SIZE_BYTES.baseName(), null);
    assertThat(requestSize.getCount()).isEqualTo((long) THREADS * RECORDS);
    long perThreadBytes = 0;
    for (int i = 0; i < RECORDS; i++) {
      perThreadBytes += i % 3;
    }
    assertThat(requestSize.getSum()).isEqualTo((double) THREADS * perThreadBytes);
    assertThat(point(scrape(), HTTP_RESPONSE_SIZE_BYTES.baseName(), "200").getSum()).isEqualTo(okCount * 1000.0);
    assertThat(((CellHttpSeries) collector.registry().http().series("GET", "/a", 200)).cellCount())
        .isBetween(1, CellHttpSeries.MAX_CELLS);
  }

  @Test
  void aRecordThatFindsItsCellTakenGrowsTheCellsAndIsCountedInAnother() {
    collector.recordHttpRequest("GET", "/a", 200, 0.25, 10, 20);
    CellHttpSeries s = (CellHttpSeries) collector.registry().http().series("GET", "/a", 200);
    long[] first = s.cell(0);
    long version = first[HttpCellLayout.VERSION];
    first[HttpCellLayout.VERSION] = version + 1; // as a writer holding it would

    collector.recordHttpRequest("GET", "/a", 200, 0.25, 10, 20);

    first[HttpCellLayout.VERSION] = version;
    assertThat(s.cellCount()).isEqualTo(Math.min(2, CellHttpSeries.MAX_CELLS));
    HistogramDataPointSnapshot d = point(scrape(), HTTP_REQUEST_DURATION_SECONDS.baseName(), "200");
    assertThat(d.getCount()).isEqualTo(2);
    assertThat(d.getSum()).isEqualTo(0.5);
    assertThat(point(scrape(), HTTP_REQUEST_SIZE_BYTES.baseName(), null).getSum()).isEqualTo(20.0);
  }

  @Test
  @Timeout(60)
  void aScrapeBesideTheRecordsSeesEveryRequestWholeInAllFourFamilies() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 2_000_000 && !stop.get(); i++) {
            collector.recordHttpRequest("GET", "/a", 200, 0.5, 3, 5);
          }
        }));
      }
      for (int scrape = 0; scrape < 300; scrape++) {
        MetricSnapshots s = scrape();
        HistogramDataPointSnapshot d = point(s, HTTP_REQUEST_DURATION_SECONDS.baseName(), "200");
        if (d == null) {
          continue; // not bound yet
        }
        long n = d.getCount();
        assertThat(bucketTotal(d)).isEqualTo(n);
        assertThat(d.getSum()).isEqualTo(n * 0.5);
        assertThat(requests(s)).isEqualTo(n);
        assertThat(point(s, HTTP_REQUEST_SIZE_BYTES.baseName(), null).getCount()).isEqualTo(n);
        assertThat(point(s, HTTP_REQUEST_SIZE_BYTES.baseName(), null).getSum()).isEqualTo(n * 3.0);
        assertThat(point(s, HTTP_RESPONSE_SIZE_BYTES.baseName(), "200").getSum()).isEqualTo(n * 5.0);
      }
      stop.set(true);
      for (Future<?> f : writers) {
        f.get(50, TimeUnit.SECONDS);
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private MetricSnapshots scrape() {
    return collector.prometheusRegistry().scrape(name -> name.startsWith("http_"));
  }

  private static HistogramDataPointSnapshot point(MetricSnapshots snapshots, String name, String status) {
    for (MetricSnapshot m : snapshots) {
      if (m.getMetadata().getName().equals(name)) {
        for (HistogramDataPointSnapshot p : ((HistogramSnapshot) m).getDataPoints()) {
          if (status == null || status.equals(p.getLabels().get("status_code"))) {
            return p;
          }
        }
      }
    }
    return null;
  }

  private static long requests(MetricSnapshots snapshots) {
    for (MetricSnapshot m : snapshots) {
      if (m.getMetadata().getName().equals(HTTP_REQUESTS_TOTAL.baseName())) {
        return (long) ((CounterSnapshot) m).getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no http_requests_total");
  }

  private static long bucketTotal(HistogramDataPointSnapshot p) {
    long n = 0;
    for (var b : p.getClassicBuckets()) {
      n += b.getCount();
    }
    return n;
  }

  private static long bucket(HistogramDataPointSnapshot p, double upperBound) {
    for (var b : p.getClassicBuckets()) {
      if (b.getUpperBound() == upperBound) {
        return b.getCount();
      }
    }
    throw new AssertionError("no bucket " + upperBound);
  }
}
