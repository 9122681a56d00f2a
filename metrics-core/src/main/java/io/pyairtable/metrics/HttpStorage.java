package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Where the HTTP families keep their series, and how they are exposed: {@link #bind} creates the
 * storage of one (method, endpoint, status code) combination, called once per combination by
 * {@link HttpSeriesTable}. {@link #create} picks the storage for a configuration and registers its
 * collector: this project's striped cells ({@link HttpCellStore}, classic buckets, the default) or,
 * when native histograms are configured, client_java histograms ({@link ClientJavaHttpStorage}).
 * Both expose the same four families with the same labels.
 *
 * <pre>{@code
 * HttpStorage storage = HttpStorage.create(factory, config, constLabels);
 * HttpSeries s = storage.bind("GET", "/users/{id}", "200", 200);
 * }</pre>
 */
interface HttpStorage {

  /** The label name of the correlation id kept as the duration's exemplar. */
  String EXEMPLAR_LABEL = "correlation_id";

  /** The series of one sanitized combination; {@code code} is the status code it is indexed under. */
  HttpSeries bind(String method, String endpoint, String statusCode, int code);

  /** The storage for {@code config}, its families registered through {@code factory} (or its service role gate). */
  static HttpStorage create(FamilyFactory factory, MetricsConfig config, Labels constLabels) {
    // The client_java histograms are built either way: they check the names, labels and buckets
    // as for every other family, and describe the families (metadata, label names) to the registry.
    Histogram duration = factory.unregisteredHistogram(HTTP_REQUEST_DURATION_SECONDS);
    if (config.nativeHistograms()) {
      factory.expose(HTTP_REQUEST_DURATION_SECONDS, new DurationWithRequestCount(duration, HTTP_REQUESTS_TOTAL));
      return new ClientJavaHttpStorage(duration, factory.metric(HTTP_REQUEST_SIZE_BYTES),
          factory.metric(HTTP_RESPONSE_SIZE_BYTES));
    }
    HttpCellLayout layout = new HttpCellLayout(bounds(config, HTTP_REQUEST_DURATION_SECONDS),
        bounds(config, HTTP_REQUEST_SIZE_BYTES), bounds(config, HTTP_RESPONSE_SIZE_BYTES));
    HttpCellStore store = new HttpCellStore(layout, constLabels, HTTP_REQUEST_DURATION_SECONDS.exemplars(),
        duration, factory.unregisteredHistogram(HTTP_REQUEST_SIZE_BYTES),
        factory.unregisteredHistogram(HTTP_RESPONSE_SIZE_BYTES));
    factory.expose(HTTP_REQUEST_DURATION_SECONDS, store);
    return store;
  }

  private static double[] bounds(MetricsConfig config, io.pyairtable.metrics.catalog.MetricDefinition d) {
    return config.buckets(d.name()).orElseGet(d::bucketArray);
  }
}
