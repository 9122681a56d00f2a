package io.pyairtable.metrics;

import io.pyairtable.metrics.internal.FailureLog;

/**
 * One (method, endpoint) pair of a collector, bound in advance: what a caller that knows its
 * routes up front (a router, a client with fixed operations) holds instead of passing the two
 * strings on every request, as client_java's {@code labelValues(...)} data points are held. Its
 * records are exactly those of {@link MetricsCollector#recordHttpRequest} with the same values:
 * same series, same sanitizing (a {@code null} method is {@code unknown}, long values are cut),
 * same series budget and overflow, same exemplars; only the lookup of the method and endpoint is
 * skipped, so a record costs an {@code int} probe for the status code and the observations.
 * Holding a handle binds nothing: a series appears with its first record. Thread-safe; never
 * throws from {@code record} (failures are counted and logged once, as for the collector).
 *
 * <pre>{@code
 * HttpEndpoint getUser = collector.httpEndpoint("GET", "/users/{id}");
 * getUser.record(200, 0.042, 120, 2048);              // sizes in bytes, -1 when unknown
 * getUser.record(404, 0.003, -1, 0, correlationId);   // with an exemplar on the duration
 * }</pre>
 */
public final class HttpEndpoint {

  private final HttpFamilies http;
  private final HttpSeriesTable table;
  private final boolean enabled;
  private final FailureLog failures;
  private final String method;
  private final String endpoint;
  /** The table's entry for this pair, once one of its combinations is bound (entries are never removed). */
  private volatile HttpSeriesTable.Endpoint bound;

  HttpEndpoint(HttpFamilies http, boolean enabled, FailureLog failures, String method, String endpoint) {
    this.http = http;
    this.table = http.table();
    this.enabled = enabled;
    this.failures = failures;
    this.method = table.sanitize(method);
    this.endpoint = table.sanitize(endpoint);
  }

  /** The {@code method} label value recorded (sanitized). */
  public String method() {
    return method;
  }

  /** The {@code endpoint} label value recorded (sanitized). */
  public String endpoint() {
    return endpoint;
  }

  /** One finished request: counted and timed (sizes not known). */
  public void record(int statusCode, double durationSeconds) {
    record(statusCode, durationSeconds, -1, -1, null);
  }

  /** One finished request with its body sizes in bytes (a negative size means unknown). */
  public void record(int statusCode, double durationSeconds, long requestBytes, long responseBytes) {
    record(statusCode, durationSeconds, requestBytes, responseBytes, null);
  }

  /**
   * One finished request; {@code correlationId}, when not null, becomes an exemplar of the
   * duration, as in {@link MetricsCollector#recordHttpRequest(String, String, int, double, long, long, String)}.
   */
  public void record(int statusCode, double durationSeconds, long requestBytes, long responseBytes,
      String correlationId) {
    if (!enabled) {
      return;
    }
    try {
      http.record(series(statusCode), durationSeconds, requestBytes, responseBytes, correlationId);
    } catch (RuntimeException e) {
      failures.contain(HttpFamilies.OPERATION, e);
    }
  }

  private HttpSeries series(int statusCode) {
    HttpSeriesTable.Endpoint b = bound;
    if (b == null) {
      b = table.find(method, endpoint);
      if (b == null) {
        return table.miss(method, endpoint, statusCode);
      }
      bound = b;
    }
    HttpSeries s = b.get(statusCode);
    return s != null ? s : table.miss(method, endpoint, statusCode);
  }
}
