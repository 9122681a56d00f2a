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
 * <pre>{@code
 * // GET /items/{id} 200 0.412 ms in=0 B out=17 B correlation_id=7f0c... client=127.0.0.1
 * }</pre>
 */
public final class AccessLog {

  /** The logger name. */
  public static final String LOGGER = "io.pyairtable.metrics.http.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private AccessLog() {}

  /** Whether the access logger would write an INFO line. */
  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  static void log(String method, String route, int status, long durationNanos, long requestBytes,
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
