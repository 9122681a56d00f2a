package io.pyairtable.metrics.http.chain;

/**
 * Where the chain writes its one access-log line per request: {@link AccessLog#slf4j()} (the
 * default: logger {@value AccessLog#LOGGER}, rendered by whatever SLF4J backend is configured) or
 * an {@link AccessLogWriter} (straight to a file through a bounded queue and one writer thread).
 * The fields are passed as they are, unboxed, so a sink formats them without varargs or boxing.
 *
 * <pre>{@code
 * MiddlewareOptions.builder().metricsCollector(collector)
 *     .accessLog(AccessLogWriter.builder(Path.of("logs/access.log")).build())
 *     .build();
 * }</pre>
 */
public interface AccessLogSink {

  /** Whether a line would be written now (the chain then looks up the client address and the route). */
  boolean enabled();

  /**
   * Writes one request's line. Must not throw into the request (the chain also contains it).
   *
   * @param correlationId null when correlation ids are off or the server answered before routing
   * @param client the client address, null when unknown
   */
  void log(String method, String route, int status, long durationNanos, long requestBytes, long responseBytes,
      String correlationId, String client);
}
