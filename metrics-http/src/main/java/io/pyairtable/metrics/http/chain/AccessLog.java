package io.pyairtable.metrics.http.chain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log line per request, on logger {@value #LOGGER}: method, route template, status,
 * duration, body sizes, correlation id and client address (the connection's peer; the first
 * {@code X-Forwarded-For} entry only when {@code trustForwardedFor} is on), as the message and as SLF4J key-value pairs (a JSON
 * encoder renders them as fields). Header values and bodies are never logged, so
 * {@code Authorization}, {@code Cookie} and API keys cannot appear; the raw path is not logged
 * either (it may carry ids or tokens), the route template is.
 *
 * <p>This is the default {@link AccessLogSink}: each line is one SLF4J event, so its cost is the
 * backend's (logback builds an event, formats the message, copies the MDC, and an async appender
 * may drop events when its queue fills). {@link AccessLogWriter} writes the same fields straight to
 * a file, several times cheaper per request, and counts what it cannot write.
 *
 * <pre>{@code
 * // GET /items/{id} 200 0.412 ms in=0 B out=17 B correlation_id=7f0c... client=127.0.0.1
 * MiddlewareOptions.builder().accessLog(AccessLog.slf4j())   // the default
 * }</pre>
 */
public final class AccessLog implements AccessLogSink {

  /** The logger name. */
  public static final String LOGGER = "io.pyairtable.metrics.http.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private static final AccessLog SLF4J = new AccessLog();

  private AccessLog() {}

  /** The SLF4J sink: INFO events on logger {@value #LOGGER}, with the fields as key-value pairs. */
  public static AccessLogSink slf4j() {
    return SLF4J;
  }

  /** Whether the access logger would write an INFO line. */
  @Override
  public boolean enabled() {
    return LOG.isInfoEnabled();
  }

  @Override
  public void log(String method, String route, int status, long durationNanos, long requestBytes,
      long responseBytes, String correlationId, String client) {
    double millis = durationNanos / 1e6;
    LOG.atInfo()
        .addKeyValue("method", method)
        .addKeyValue("route", route)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", millis)
        .addKeyValue("request_bytes", requestBytes)
        .addKeyValue("response_bytes", responseBytes)
        .addKeyValue("correlation_id", correlationId)
        .addKeyValue("client", client)
        .log("{} {} {} {} ms in={} B out={} B correlation_id={} client={}", method, route, status,
            Math.round(durationNanos / 1_000.0) / 1_000.0, requestBytes, responseBytes, correlationId, client);
  }
}
