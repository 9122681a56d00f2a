package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.SeriesCache;
import java.util.List;

/**
 * The four HTTP families ({@code http_requests_total} and the duration, request-size and
 * response-size histograms) and the one series table that binds them per (method, endpoint,
 * status code), so a single lookup serves a whole {@code recordHttpRequest}. The registry, their
 * only owner, builds and registers the families and hands them here; they have no {@code MetricFamily}.
 * {@code http_requests_total} is the duration histogram's count, exposed as a counter at scrape
 * time ({@link DurationWithRequestCount}), so a request costs three updates, not four.
 *
 * <pre>{@code
 * HttpSeries s = registry.http().series("GET", "/users/{id}", "200");
 * s.duration.observe(0.042);
 * }</pre>
 */
final class HttpFamilies {

  /** The four definitions, in catalogue order. */
  static final List<MetricDefinition> DEFINITIONS = List.of(HTTP_REQUESTS_TOTAL, HTTP_REQUEST_DURATION_SECONDS,
      HTTP_REQUEST_SIZE_BYTES, HTTP_RESPONSE_SIZE_BYTES);

  private final SeriesCache<HttpSeries> series;

  /**
   * Binds the families the registry built: {@code duration} (which also serves
   * {@code http_requests_total}), the two size histograms, and one overflow data point per
   * definition in {@link #DEFINITIONS} order.
   */
  HttpFamilies(Histogram duration, Histogram requestSize, Histogram responseSize, CounterDataPoint[] overflows,
      int budget, LabelSanitizer sanitizer) {
    // A record past the budget folds into the overflow series of all four families, and each
    // family's overflow is counted, histograms included.
    this.series = new SeriesCache<>(3, budget, sanitizer,
        v -> new HttpSeries(duration.labelValues(v), requestSize.labelValues(v[0], v[1]), responseSize.labelValues(v)),
        () -> {
          for (CounterDataPoint overflow : overflows) {
            overflow.inc();
          }
        });
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
  HttpSeries series(String method, String endpoint, String statusCode) {
    return series.get(method, endpoint, statusCode);
  }
}
