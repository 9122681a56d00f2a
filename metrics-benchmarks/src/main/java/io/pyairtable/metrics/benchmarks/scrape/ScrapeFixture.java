package io.pyairtable.metrics.benchmarks.scrape;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Two registries holding the same 10,000 HTTP time series, filled from the same data: this library's
 * collector (through {@code recordHttpRequest}), scraped through the project's metrics endpoint
 * ({@link MetricsEndpoint}, what every adapter's {@code /metrics} runs), and a plain client_java
 * registry with the four HTTP families built with client_java's own builders (same names, help,
 * label names, buckets and {@code service} label), scraped by client_java's
 * {@link PrometheusScrapeHandler}.
 *
 * <p>The series, counted as Prometheus counts them (one per exposed sample, as in
 * {@code scrape_samples_scraped}; every histogram bucket is one): 5 methods × 10 endpoints × 8 status
 * codes = 400 combinations, each in {@code http_requests_total} (1 sample),
 * {@code http_request_duration_seconds} (12 buckets + {@code +Inf} + {@code _count} + {@code _sum} = 15)
 * and {@code http_response_size_bytes} (5 + 3 = 8), and 50 method × endpoint series of
 * {@code http_request_size_bytes} (8): 400 × 24 + 50 × 8 = 10,000 samples in the Prometheus text
 * format, from 1,250 labelled data points. Every combination gets the same pseudo-random records on
 * both sides.
 *
 * <pre>{@code
 * ScrapeFixture f = new ScrapeFixture();
 * MemoryExchange ex = new MemoryExchange(ScrapeFormat.GZIP_TEXT);
 * f.scrapeOurs(ex.reset());          // or f.scrapeClientJava(ex.reset())
 * }</pre>
 */
public final class ScrapeFixture {

  /** HTTP methods of the series. */
  public static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  /** Status codes of the series. */
  public static final int[] STATUSES = {200, 201, 204, 400, 404, 429, 500, 503};
  /** Route templates of the series. */
  public static final int ENDPOINTS = 10;
  /** Samples of the HTTP families in one Prometheus text scrape of either registry. */
  public static final int SAMPLES = METHODS.length * ENDPOINTS * (STATUSES.length * 24 + 8);

  private final String[] endpoints = new String[ENDPOINTS];
  private final String[] statusLabels = new String[STATUSES.length];
  private final MetricsCollector collector;
  private final MetricsEndpoint endpoint;
  private final PrometheusRegistry raw = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram duration;
  private final Histogram requestSize;
  private final Histogram responseSize;
  private final PrometheusScrapeHandler rawHandler;

  /** Both registries, each combination recorded {@code recordsPerSeries} times with the same values. */
  public ScrapeFixture(int recordsPerSeries) {
    for (int i = 0; i < ENDPOINTS; i++) {
      endpoints[i] = "/api/v1/resource" + i + "/{id}";
    }
    for (int i = 0; i < STATUSES.length; i++) {
      statusLabels[i] = Integer.toString(STATUSES[i]);
    }
    collector = Metrics.builder(Map.of()).serviceName("bench").jvmMetrics(false)
        .seriesBudget(2 * METHODS.length * ENDPOINTS * STATUSES.length).initialize();
    endpoint = new MetricsEndpoint(collector, MetricsAuth.none());

    Labels service = Labels.of("service", "bench");
    MetricDefinition c = MetricCatalog.HTTP_REQUESTS_TOTAL;
    requests = Counter.builder().name(c.baseName()).help(c.help()).constLabels(service).withoutExemplars()
        .labelNames(c.labelNameArray()).register(raw);
    duration = histogram(MetricCatalog.HTTP_REQUEST_DURATION_SECONDS, service, true);
    requestSize = histogram(MetricCatalog.HTTP_REQUEST_SIZE_BYTES, service, false);
    responseSize = histogram(MetricCatalog.HTTP_RESPONSE_SIZE_BYTES, service, false);
    rawHandler = new PrometheusScrapeHandler(raw);

    SplittableRandom random = new SplittableRandom(42);
    for (int n = 0; n < recordsPerSeries; n++) {
      for (int m = 0; m < METHODS.length; m++) {
        for (int e = 0; e < ENDPOINTS; e++) {
          for (int s = 0; s < STATUSES.length; s++) {
            double seconds = random.nextInt(1, 2_000) / 1000.0;
            long in = random.nextInt(0, 20_000);
            long out = random.nextInt(0, 200_000);
            collector.recordHttpRequest(METHODS[m], endpoints[e], STATUSES[s], seconds, in, out);
            recordClientJava(m, e, s, seconds, in, out);
          }
        }
      }
    }
  }

  private Histogram histogram(MetricDefinition d, Labels service, boolean exemplars) {
    Histogram.Builder b = Histogram.builder().name(d.name()).help(d.help()).constLabels(service)
        .labelNames(d.labelNameArray()).classicUpperBounds(d.bucketArray()).classicOnly();
    if (!exemplars) {
      b.withoutExemplars();
    }
    return b.register(raw);
  }

  /** One scrape through the project's metrics endpoint (timed in {@code metrics_scrape_duration_seconds}). */
  public void scrapeOurs(MemoryExchange exchange) throws IOException {
    endpoint.handle(exchange, null);
  }

  /** One scrape of the client_java registry through client_java's own scrape handler. */
  public void scrapeClientJava(MemoryExchange exchange) throws IOException {
    rawHandler.handleRequest(exchange);
  }

  /** One more request of a combination chosen by {@code pick}, recorded through {@code recordHttpRequest}. */
  public void recordOurs(int pick) {
    int m = Math.floorMod(pick, METHODS.length);
    int e = Math.floorMod(pick >> 3, ENDPOINTS);
    int s = Math.floorMod(pick >> 7, STATUSES.length);
    collector.recordHttpRequest(METHODS[m], endpoints[e], STATUSES[s], 0.042, 120, 2048);
  }

  /** The same request recorded through client_java's {@code labelValues(...)}. */
  public void recordClientJava(int pick) {
    int m = Math.floorMod(pick, METHODS.length);
    int e = Math.floorMod(pick >> 3, ENDPOINTS);
    int s = Math.floorMod(pick >> 7, STATUSES.length);
    recordClientJava(m, e, s, 0.042, 120, 2048);
  }

  private void recordClientJava(int m, int e, int s, double seconds, long in, long out) {
    requestSize.labelValues(METHODS[m], endpoints[e]).observe(in);
    responseSize.labelValues(METHODS[m], endpoints[e], statusLabels[s]).observe(out);
    duration.labelValues(METHODS[m], endpoints[e], statusLabels[s]).observe(seconds);
    requests.labelValues(METHODS[m], endpoints[e], statusLabels[s]).inc();
  }

  /** The collector scraped by {@link #scrapeOurs}. */
  public MetricsCollector collector() {
    return collector;
  }

  /** The client_java registry scraped by {@link #scrapeClientJava}. */
  public PrometheusRegistry clientJavaRegistry() {
    return raw;
  }

  /** Scrapes timed so far in {@code metrics_scrape_duration_seconds}, and their total seconds. */
  public double[] scrapeDurationCountAndSum() {
    String name = MetricCatalog.METRICS_SCRAPE_DURATION_SECONDS.name();
    for (MetricSnapshot s : collector.prometheusRegistry().scrape(name::equals)) {
      HistogramSnapshot.HistogramDataPointSnapshot p = ((HistogramSnapshot) s).getDataPoints().get(0);
      return new double[] {p.getCount(), p.getSum()};
    }
    return new double[] {0, 0};
  }
}
