package io.pyairtable.metrics;

/**
 * Where the HTTP families keep their series, and how they are exposed: {@link #bind} creates the
 * storage of one (method, endpoint, status code) combination, called once per combination by
 * {@link HttpSeriesTable}. {@link HttpFamilies#storage} picks the storage for a configuration
 * and registers its collector: this project's striped cells ({@link HttpCellStore}, classic
 * buckets, the default) or, when native histograms are configured, client_java histograms
 * ({@link ClientJavaHttpStorage}). Both expose the same four families with the same labels.
 *
 * <pre>{@code
 * HttpStorage storage = HttpFamilies.storage(factory, config, constLabels);
 * HttpSeries s = storage.bind("GET", "/users/{id}", "200", 200);
 * }</pre>
 */
interface HttpStorage {

  /** The label name of the correlation id kept as the duration's exemplar. */
  String EXEMPLAR_LABEL = "correlation_id";

  /** The series of one sanitized combination; {@code code} is the status code it is indexed under. */
  HttpSeries bind(String method, String endpoint, String statusCode, int code);
}
