package io.pyairtable.metrics.http.chain;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The framework-neutral request lifecycle behind every adapter, in the chain's order (outside
 * in): correlation id, metrics, request logging, error handling, then the handler. An adapter
 * calls {@link #begin} on entry, {@link #onException} when the handler throws, {@link #finish}
 * once with the final status and the counted body bytes, and {@link #leave} when the request
 * leaves its thread. Every metrics call is contained: a failure here never reaches the request.
 *
 * <pre>{@code
 * RequestChain chain = new RequestChain(MiddlewareOptions.of(collector));
 * RequestScope scope = chain.begin("GET", "/items/123", request.getHeader("X-Request-ID"));
 * try {
 *   handler.handle();
 * } catch (Exception e) {
 *   ErrorResponse error = chain.onException(scope, e);   // null when error handling is off
 * } finally {
 *   chain.finish(scope, "/items/{id}", true, status, requestBytes, responseBytes);
 *   chain.leave(scope);
 * }
 * }</pre>
 */
public final class RequestChain {

  /** The SLF4J MDC key of the correlation id. */
  public static final String MDC_KEY = "correlation_id";

  private static final Logger LOG = LoggerFactory.getLogger(RequestChain.class);

  private final MiddlewareOptions options;
  private final MetricsCollector collector;
  private final boolean correlation;
  private final boolean logging;
  private final AccessLogSink accessLog;
  private final boolean errorHandling;
  private final ExcludedPaths excluded;
  private final RouteTemplates routes;
  private final PathNormalizer normalizer;
  private final ErrorMappings errorMappings;
  private final ConfirmedPaths confirmed;
  private final String correlationHeader;
  private final boolean trustForwardedFor;

  public RequestChain(MiddlewareOptions options) {
    this.options = options;
    this.collector = options.enableMetrics() ? options.metricsCollector().orElseThrow() : null;
    this.correlation = options.enableCorrelationId();
    this.logging = options.enableRequestLogging();
    this.accessLog = options.accessLog();
    this.errorHandling = options.enableErrorHandling();
    this.excluded = new ExcludedPaths(options.excludedPaths());
    this.routes = new RouteTemplates(options.routeTemplates());
    this.normalizer = options.pathNormalizer();
    this.errorMappings = options.errorMappings();
    this.correlationHeader = options.correlationHeader();
    this.trustForwardedFor = options.trustForwardedFor();
    this.confirmed = new ConfirmedPaths(collector != null
        ? collector.config().seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name())
        : 1000);
    if (logging && collector != null && accessLog instanceof AccessLogWriter writer) {
      writer.countDropsIn(collector);
    }
  }

  public MiddlewareOptions options() {
    return options;
  }

  /** The correlation header name. */
  public String correlationHeader() {
    return correlationHeader;
  }

  /** True when correlation ids are on (the adapter then echoes {@link RequestScope#correlationId()}). */
  public boolean correlationEnabled() {
    return correlation;
  }

  /**
   * A request enters: its correlation id is accepted or generated and put in the MDC, and unless
   * its path is excluded, {@code active_connections} goes up.
   */
  public RequestScope begin(String method, String path, String incomingCorrelationId) {
    String id = correlation ? CorrelationIds.accept(incomingCorrelationId) : null;
    boolean skip = excluded.matches(path);
    RequestScope scope = new RequestScope(EndpointLabels.method(method), path, id, skip);
    if (id != null) {
      MDC.put(MDC_KEY, id);
    }
    if (!skip && collector != null) {
      try {
        collector.incrementActiveConnections();
      } catch (RuntimeException e) {
        collector.containFailure("http_begin", e);
      }
    }
    return scope;
  }

  /**
   * The handler threw {@code error}: it is remembered for {@code errors_total} (counted once, at
   * {@link #finish}) and, with error handling on, turned into the response to send.
   *
   * <p>When the client's connection failed (flagged by the adapter's request and response streams,
   * so an upstream call failing with the same exception types is not mistaken for it) the request
   * is a 499 (or 408), not an error of ours: the response is
   * one the adapter must not write ({@link ErrorResponse#writable()} false) and nothing is logged
   * here ({@link #finish} writes one WARN line).
   *
   * @return the error response, or null when error handling is off (the adapter rethrows)
   */
  public ErrorResponse onException(RequestScope scope, Throwable error) {
    return onException(scope, error, error instanceof HttpStatusException ? error.getMessage() : null);
  }

  /**
   * As {@link #onException(RequestScope, Throwable)}, with the message the application meant for
   * the client ({@code null}: the status's generic text). Only messages written for clients are
   * shown — an {@link HttpStatusException}'s, a framework's own HTTP exception's — never another
   * exception's message, which may carry internals.
   */
  public ErrorResponse onException(RequestScope scope, Throwable error, String publicMessage) {
    if (scope.clientFailed()) {
      return errorHandling ? ErrorResponse.clientGone(scope.clientFailure) : null;
    }
    if (scope.endedByServer()) { // the failure of a connection the server closed itself: not an error
      return errorHandling ? ErrorResponse.clientGone(scope.endedStatus) : null;
    }
    int refused = ClientFailures.refusedStatus(error);
    if (refused != 0) { // the server refused the request (a streamed body over its limit): that status, its own text
      error = new HttpStatusException(refused, null, error);
      publicMessage = null;
    }
    scope.errorType = error.getClass().getSimpleName().isEmpty() ? error.getClass().getName()
        : error.getClass().getSimpleName();
    if (!errorHandling) {
      return null;
    }
    int status;
    try {
      status = errorMappings.statusFor(error);
    } catch (RuntimeException e) {
      status = 500;
    }
    if (status >= 500) {
      LOG.error("Unhandled {} answered with {} (correlation_id={})", scope.errorType, status,
          scope.correlationId, error);
    }
    return ErrorResponse.of(status, publicMessage, scope.correlationId);
  }

  /**
   * The request is complete: records the request with its final status, duration and body sizes,
   * counts an error for an exception or a 5xx, writes the access-log line and takes
   * {@code active_connections} down. Only the first call per scope does anything.
   *
   * @param template the route template the framework matched, or null
   * @param routesKnown true when the framework routes every request, so no template means no route matched
   */
  public void finish(RequestScope scope, String template, boolean routesKnown, int status, long requestBytes,
      long responseBytes) {
    if (scope == null || !scope.markFinished() || scope.excluded) {
      return;
    }
    long elapsed = System.nanoTime() - scope.startNanos;
    String errorType = scope.errorType;
    int ended = scope.endedStatus;
    if (ended != 0) { // what it had sent when the server ended it, whatever came after
      status = ended;
    }
    if (scope.clientFailure != 0) {
      status = scope.clientFailure;
      errorType = status == 408 ? ClientFailures.CLIENT_TIMEOUT : ClientFailures.CLIENT_ABORT;
    }
    String endpoint = null;
    if (collector != null) {
      try {
        endpoint = endpoint(template, routesKnown, scope.path, status);
        // the error first: whoever sees the request counted also sees its error
        if (errorType != null) {
          collector.recordError(errorType, endpoint);
        } else if (status >= 500) {
          collector.recordError(EndpointLabels.HTTP_5XX, endpoint);
        }
        collector.recordHttpRequest(scope.method, endpoint, status, elapsed / 1e9, requestBytes, responseBytes,
            scope.correlationId);
      } catch (RuntimeException e) {
        collector.containFailure("http_finish", e);
      } finally {
        collector.decrementActiveConnections();
      }
    }
    if (scope.clientFailure != 0) {
      logClientFailure(scope, template, routesKnown, status, elapsed);
    }
    if (logging && accessLog.enabled()) {
      try {
        if (endpoint == null) {
          endpoint = endpoint(template, routesKnown, scope.path, status);
        }
        // the SLF4J route's appenders may read the MDC; the file writer is given the id
        boolean foreignThread = scope.correlationId != null && scope.thread != Thread.currentThread()
            && accessLog == AccessLog.slf4j();
        if (foreignThread) {
          MDC.put(MDC_KEY, scope.correlationId);
        }
        accessLog.log(scope.method, endpoint, status, elapsed, requestBytes, responseBytes, scope.correlationId,
            scope.client);
        if (foreignThread) {
          MDC.remove(MDC_KEY);
        }
      } catch (RuntimeException e) {
        if (collector != null) {
          collector.containFailure("http_access_log", e);
        }
      }
    }
  }

  private void logClientFailure(RequestScope scope, String template, boolean routesKnown, int status, long elapsed) {
    try {
      LOG.warn("{} {} {}: the client {} after {} ms (correlation_id={})", scope.method,
          endpoint(template, routesKnown, scope.path, status), status,
          status == 408 ? "sent the request too slowly" : "closed the connection before the response",
          Math.round(elapsed / 1_000.0) / 1_000.0, scope.correlationId);
    } catch (RuntimeException e) {
      if (collector != null) {
        collector.containFailure("http_client_failure_log", e);
      }
    }
  }

  /**
   * A request the server answered itself before routing (a malformed request, a body or header
   * over a limit, the 503 of a draining server): recorded with {@code endpoint="unmatched"}, its
   * status and sizes, an {@code http_5xx} error for a 5xx, and the access-log line. Contained.
   */
  public void recordUnrouted(String method, int status, long requestBytes, long responseBytes, long durationNanos) {
    String label = EndpointLabels.method(method);
    if (collector != null) {
      try {
        if (status >= 500) {
          collector.recordError(EndpointLabels.HTTP_5XX, EndpointLabels.UNMATCHED);
        }
        collector.recordHttpRequest(label, EndpointLabels.UNMATCHED, status, durationNanos / 1e9, requestBytes,
            responseBytes, null);
      } catch (RuntimeException e) {
        collector.containFailure("http_unrouted", e);
      }
    }
    if (logging && accessLog.enabled()) {
      try {
        accessLog.log(label, EndpointLabels.UNMATCHED, status, durationNanos, requestBytes, responseBytes, null,
            null);
      } catch (RuntimeException e) {
        if (collector != null) {
          collector.containFailure("http_access_log", e);
        }
      }
    }
  }

  /** The request leaves the thread it began on: the MDC entry is removed. */
  public void leave(RequestScope scope) {
    if (scope != null && scope.correlationId != null) {
      MDC.remove(MDC_KEY);
    }
  }

  /** True when the access log is written (adapters then give the scope its client address). */
  public boolean logsRequests() {
    return logging && accessLog.enabled();
  }

  /**
   * True with {@link MiddlewareOptions#trustForwardedFor()}: only then does {@link #clientAddress}
   * read {@code X-Forwarded-For}, so adapters need not look the header up otherwise.
   */
  public boolean trustsForwardedFor() {
    return trustForwardedFor;
  }

  /**
   * The client address the access log shows: the connection's {@code peer}, or, only with
   * {@link MiddlewareOptions#trustForwardedFor()}, the first entry of {@code forwardedFor} when it
   * is an address (hex digits, dots and colons, at most 45 characters).
   */
  public String clientAddress(String peer, String forwardedFor) {
    if (trustForwardedFor && forwardedFor != null) {
      int comma = forwardedFor.indexOf(',');
      String first = (comma < 0 ? forwardedFor : forwardedFor.substring(0, comma)).trim();
      if (!first.isEmpty() && first.length() <= 45 && first.chars().allMatch(
          c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
        return first;
      }
    }
    return peer;
  }

  /**
   * The endpoint label: the framework's template; else, for a framework that routes everything,
   * {@link EndpointLabels#UNMATCHED}; else a configured route template matching the path (none
   * matching: unmatched); else the normalized path once it has been confirmed by an answer that is
   * not a 4xx or a client failure ({@link ConfirmedPaths}, bounded by the series budget of
   * {@code http_requests_total}), unmatched until then.
   */
  public String endpoint(String template, boolean routesKnown, String path, int status) {
    if (template != null && !template.isEmpty()) {
      return template;
    }
    if (routesKnown) {
      return EndpointLabels.UNMATCHED;
    }
    if (!routes.isEmpty()) {
      String t = routes.match(path);
      return t != null ? t : EndpointLabels.UNMATCHED;
    }
    if (status == 404) {
      return EndpointLabels.UNMATCHED;
    }
    return confirmed.label(normalizer.normalize(path), status);
  }
}
