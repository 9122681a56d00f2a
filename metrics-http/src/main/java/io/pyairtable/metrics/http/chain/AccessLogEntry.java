package io.pyairtable.metrics.http.chain;

/**
 * One request's access-log fields as queued by {@link AccessLogWriter}: taken on the request
 * thread, formatted by the writer thread (so the request pays one small allocation, no formatting).
 *
 * <pre>{@code
 * new AccessLogEntry(System.currentTimeMillis(), "GET", "/hello", 200, 412_000, 0, 5, "id-1", "127.0.0.1");
 * }</pre>
 */
final class AccessLogEntry {
  final long epochMillis;
  final String method;
  final String route;
  final int status;
  final long durationNanos;
  final long requestBytes;
  final long responseBytes;
  final String correlationId;
  final String client;

  AccessLogEntry(long epochMillis, String method, String route, int status, long durationNanos, long requestBytes,
      long responseBytes, String correlationId, String client) {
    this.epochMillis = epochMillis;
    this.method = method;
    this.route = route;
    this.status = status;
    this.durationNanos = durationNanos;
    this.requestBytes = requestBytes;
    this.responseBytes = responseBytes;
    this.correlationId = correlationId;
    this.client = client;
  }
}
