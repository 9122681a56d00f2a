package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.Observations;
import java.util.List;

/**
 * The four HTTP families ({@code http_requests_total} and the duration, request-size and
 * response-size histograms) and the one series table that binds them per (method, endpoint,
 * status code), so a single lookup serves a whole {@code recordHttpRequest}. The registry, their
 * only owner, creates their storage ({@link HttpStorage}: this project's striped cells, or
 * client_java histograms when native histograms are configured) and hands it here; they have no
 * {@code MetricFamily}. {@code http_requests_total} is the duration histogram's count, exposed as a
 * counter at scrape time, so nothing counts it on the record path.
 *
 * <pre>{@code
 * HttpSeries s = registry.http().series("GET", "/users/{id}", 200);
 * registry.http().record(s, 0.042, 120, 2048, null);
 * }</pre>
 */
final class HttpFamilies {

  /** The four definitions, in catalogue order. */
  static final List<MetricDefinition> DEFINITIONS = List.of(HTTP_REQUESTS_TOTAL, HTTP_REQUEST_DURATION_SECONDS,
      HTTP_REQUEST_SIZE_BYTES, HTTP_RESPONSE_SIZE_BYTES);

  /** The operation contained failures of an HTTP record are counted under. */
  static final String OPERATION = "record_http_request";

  private final HttpSeriesTable series;
  private final FailureLog failures;

  /**
   * Binds the families' storage the registry created (registered already) and one overflow data
   * point per definition in {@link #DEFINITIONS} order.
   */
  HttpFamilies(HttpStorage storage, CounterDataPoint[] overflows, int budget, LabelSanitizer sanitizer,
      FailureLog failures) {
    this.failures = failures;
    // A record past the budget folds into the overflow series of all four families, and each
    // family's overflow is counted, histograms included.
    this.series = new HttpSeriesTable(budget, sanitizer, storage::bind,
        () -> {
          for (CounterDataPoint overflow : overflows) {
            overflow.inc();
          }
        });
  }

  /** The storage for {@code config}, its families registered through {@code factory} (or its service role gate). */
  static HttpStorage storage(FamilyFactory factory, MetricsConfig config, Labels constLabels) {
    // The client_java histograms are built either way: they check the names, labels and buckets
    // as for every other family.
    Histogram duration = factory.unregisteredHistogram(HTTP_REQUEST_DURATION_SECONDS);
    if (config.nativeHistograms()) {
      factory.expose(HTTP_REQUEST_DURATION_SECONDS, new DurationWithRequestCount(duration, HTTP_REQUESTS_TOTAL));
      return new ClientJavaHttpStorage(duration, factory.metric(HTTP_REQUEST_SIZE_BYTES),
          factory.metric(HTTP_RESPONSE_SIZE_BYTES));
    }
    HttpCellLayout layout = new HttpCellLayout(bounds(config, HTTP_REQUEST_DURATION_SECONDS),
        bounds(config, HTTP_REQUEST_SIZE_BYTES), bounds(config, HTTP_RESPONSE_SIZE_BYTES));
    factory.unregisteredHistogram(HTTP_REQUEST_SIZE_BYTES);
    factory.unregisteredHistogram(HTTP_RESPONSE_SIZE_BYTES);
    HttpCellStore store = new HttpCellStore(layout, constLabels, HTTP_REQUEST_DURATION_SECONDS.exemplars());
    factory.expose(HTTP_REQUEST_DURATION_SECONDS, store);
    return store;
  }

  private static double[] bounds(MetricsConfig config, MetricDefinition d) {
    return config.buckets(d.name()).orElseGet(d::bucketArray);
  }

  /** The definition of the HTTP family exposed as {@code name}, null for any other name. */
  static MetricDefinition definition(String name) {
    for (MetricDefinition d : DEFINITIONS) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** The data points of one combination, bound on first use. */
  HttpSeries series(String method, String endpoint, int statusCode) {
    return series.get(method, endpoint, statusCode);
  }

  /** The series table, for pre-bound endpoints. */
  HttpSeriesTable table() {
    return series;
  }

  /**
   * Records one request on its series, so a reader that sees the request counted sees its sizes
   * too (see {@link HttpSeries#observe}). A negative size is unknown and not observed. An invalid
   * duration is contained and observed as 0 s, so the request is still counted.
   * {@code correlationId}, when not null and at most 100 chars, becomes the duration's exemplar at
   * most every 100 ms per series.
   */
  void record(HttpSeries series, double durationSeconds, long requestBytes, long responseBytes,
      String correlationId) {
    double seconds = Observations.isSeconds(durationSeconds) ? durationSeconds : invalidDuration(durationSeconds);
    String exemplar = correlationId != null && correlationId.length() <= 100 && series.exemplarDue()
        ? correlationId : null;
    series.observe(seconds, requestBytes, responseBytes, exemplar);
  }

  private double invalidDuration(double seconds) {
    try {
      Observations.seconds(seconds);
    } catch (IllegalArgumentException e) {
      failures.contain(OPERATION, e);
    }
    return 0;
  }
}
