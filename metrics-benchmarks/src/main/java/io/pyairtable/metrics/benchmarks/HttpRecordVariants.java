package io.pyairtable.metrics.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The four ways of recording one HTTP request (count, duration, request and response size) that
 * the benchmarks compare, each with its own registry. Shared by the JMH benchmarks and by the
 * test that checks every variant records the same thing, so the comparison is like for like.
 *
 * <pre>{@code
 * HttpRecordVariants v = new HttpRecordVariants();
 * v.collector().recordHttpRequest("GET", "/users/{id}", 200, 0.042, 120, 2048);
 * v.rawLabelValues("GET", "/users/{id}", "200", 0.042, 120, 2048);
 * }</pre>
 */
public final class HttpRecordVariants {

  private final MetricsCollector collector;
  private final io.prometheus.metrics.core.metrics.Counter requests;
  private final Histogram duration;
  private final Histogram requestSize;
  private final Histogram responseSize;
  private final PrometheusRegistry rawRegistry = new PrometheusRegistry();
  private final PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public HttpRecordVariants() {
    collector = Metrics.builder(Map.of()).serviceName("bench").jvmMetrics(false).initialize();
    Labels service = Labels.of("service", "bench");
    requests = io.prometheus.metrics.core.metrics.Counter.builder()
        .name(MetricCatalog.HTTP_REQUESTS_TOTAL.baseName()).help("h").constLabels(service).withoutExemplars()
        .labelNames(MetricCatalog.HTTP_REQUESTS_TOTAL.labelNameArray()).register(rawRegistry);
    duration = histogram(MetricCatalog.HTTP_REQUEST_DURATION_SECONDS, service, true);
    requestSize = histogram(MetricCatalog.HTTP_REQUEST_SIZE_BYTES, service, false);
    responseSize = histogram(MetricCatalog.HTTP_RESPONSE_SIZE_BYTES, service, false);
  }

  private Histogram histogram(MetricDefinition d, Labels service, boolean exemplars) {
    Histogram.Builder b = Histogram.builder().name(d.name()).help("h").constLabels(service)
        .labelNames(d.labelNameArray()).classicUpperBounds(d.bucketArray()).classicOnly();
    if (!exemplars) {
      b.withoutExemplars();
    }
    return b.register(rawRegistry);
  }

  /** This library's collector. */
  public MetricsCollector collector() {
    return collector;
  }

  /** client_java data points bound in advance for one label combination: the floor. */
  public PreBound preBind(String method, String endpoint, String status) {
    return new PreBound(requests.labelValues(method, endpoint, status), duration.labelValues(method, endpoint, status),
        requestSize.labelValues(method, endpoint), responseSize.labelValues(method, endpoint, status));
  }

  /** client_java with {@code labelValues(...)} looked up on every call. */
  public void rawLabelValues(String method, String endpoint, String status, double seconds, long in, long out) {
    requests.labelValues(method, endpoint, status).inc();
    duration.labelValues(method, endpoint, status).observe(seconds);
    requestSize.labelValues(method, endpoint).observe(in);
    responseSize.labelValues(method, endpoint, status).observe(out);
  }

  /** Micrometer's equivalent: Counter, Timer and two DistributionSummaries with dynamic tags. */
  public void micrometer(String method, String endpoint, String status, double seconds, long in, long out) {
    Counter.builder("http_requests").tags("method", method, "endpoint", endpoint, "status_code", status)
        .register(micrometer).increment();
    Timer.builder("http_request_duration").tags("method", method, "endpoint", endpoint, "status_code", status)
        .serviceLevelObjectives(SLO).register(micrometer).record((long) (seconds * 1e9), TimeUnit.NANOSECONDS);
    DistributionSummary.builder("http_request_size_bytes").tags("method", method, "endpoint", endpoint)
        .serviceLevelObjectives(SIZES).register(micrometer).record(in);
    DistributionSummary.builder("http_response_size_bytes")
        .tags("method", method, "endpoint", endpoint, "status_code", status)
        .serviceLevelObjectives(SIZES).register(micrometer).record(out);
  }

  private static final Duration[] SLO = MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.buckets().stream()
      .map(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);
  private static final double[] SIZES = MetricCatalog.HTTP_REQUEST_SIZE_BYTES.bucketArray();

  /** The exposition of the raw client_java registry (for the like-for-like check). */
  public PrometheusRegistry rawRegistry() {
    return rawRegistry;
  }

  /** Micrometer's registry (for the like-for-like check). */
  public PrometheusMeterRegistry micrometerRegistry() {
    return micrometer;
  }

  /** Four client_java data points of one label combination. */
  public static final class PreBound {
    private final CounterDataPoint requests;
    private final DistributionDataPoint duration;
    private final DistributionDataPoint requestSize;
    private final DistributionDataPoint responseSize;

    PreBound(CounterDataPoint requests, DistributionDataPoint duration, DistributionDataPoint requestSize,
        DistributionDataPoint responseSize) {
      this.requests = requests;
      this.duration = duration;
      this.requestSize = requestSize;
      this.responseSize = responseSize;
    }

    /** Records one request on the pre-bound data points. */
    public void record(double seconds, long in, long out) {
      requests.inc();
      duration.observe(seconds);
      requestSize.observe(in);
      responseSize.observe(out);
    }

    /**
     * The same request on the three histograms alone, without the counter: what
     * {@code recordHttpRequest} updates once it has found its series (the request count is the
     * duration's {@code _count}), so the floor minus this is what the counter costs.
     */
    public void recordHistograms(double seconds, long in, long out) {
      duration.observe(seconds);
      requestSize.observe(in);
      responseSize.observe(out);
    }
  }
}
