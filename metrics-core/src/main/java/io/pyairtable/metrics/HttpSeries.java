package io.pyairtable.metrics;

/**
 * The HTTP series of one (method, endpoint, status code) combination: what one cached lookup
 * finds for a whole {@code recordHttpRequest} call, and what it records into. There is no
 * counter: the duration's count is {@code http_requests_total}. Two kinds exist, one per
 * {@link HttpStorage}: {@link CellHttpSeries} (this project's striped cells, the default) and
 * {@link ClientJavaHttpSeries} (client_java data points, when native histograms are configured).
 * Only one kind is created in a process unless both configurations are used, so the call below
 * stays monomorphic.
 *
 * <pre>{@code
 * HttpSeries s = registry.http().series("GET", "/users/{id}", 200);
 * s.observe(0.042, 120, 2048, null);   // counts the request too
 * }</pre>
 */
abstract class HttpSeries {
  /** client_java keeps an exemplar about every 90 ms; offering one more often only costs labels. */
  static final long EXEMPLAR_INTERVAL_NANOS = 100_000_000L;

  /** The {@code status_code} label value of this combination, as recorded. */
  final String statusCode;
  /** The status code this series is indexed under in its endpoint (the first code recorded with its label). */
  final int code;
  private volatile long nextExemplarNanos = System.nanoTime();

  HttpSeries(String statusCode, int code) {
    this.statusCode = statusCode;
    this.code = code;
  }

  /**
   * Records one request: {@code seconds} is a valid duration; a negative size is unknown and not
   * observed; {@code exemplarId}, when not null, is offered as the duration's exemplar (the caller
   * checked {@link #exemplarDue()}).
   */
  abstract void observe(double seconds, long requestBytes, long responseBytes, String exemplarId);

  /** True at most once per {@link #EXEMPLAR_INTERVAL_NANOS} for this series. */
  final boolean exemplarDue() {
    long now = System.nanoTime();
    if (now - nextExemplarNanos < 0) {
      return false;
    }
    nextExemplarNanos = now + EXEMPLAR_INTERVAL_NANOS;
    return true;
  }
}
