package io.pyairtable.metrics.examples.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.javalin.http.Context;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.MiddlewareOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one request to a backend with {@code java.net.http}, through that backend's circuit
 * breaker, and writes the backend's answer back: status, headers (hop-by-hop ones dropped) and
 * body; {@code text/event-stream} answers (MCP's Streamable HTTP) are streamed and flushed event
 * by event. Every attempt is counted in {@code gateway_backend_requests_total} with the backend's
 * status code, or {@code connect_error}, {@code timeout} or {@code circuit_open}. Only real backend
 * failures (no answer, or a 5xx) count against the breaker. Error replies carry a type and a fixed
 * message, never an exception's. The client's own {@code X-Forwarded-For} is not trusted: the
 * gateway sets it to the peer address it sees. Each forwarded request carries
 * {@value #TIMEOUT_HEADER}: the gateway's backend timeout (or the client's, when shorter), so a
 * backend can drop work whose answer nobody will wait for.
 *
 * <pre>{@code
 * BackendProxy proxy = new BackendProxy(http, metrics, Duration.ofSeconds(30));
 * String status = proxy.forward(ctx, route, breaker); // "200", "502", "circuit_open", ...
 * }</pre>
 */
public final class BackendProxy {

  /** The header that tells a backend how long the gateway waits for its answer, in milliseconds. */
  public static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";

  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
      "authorization", ApiKeyAuthenticator.API_KEY_HEADER.toLowerCase(Locale.ROOT), "http2-settings",
      "x-forwarded-for", TIMEOUT_HEADER.toLowerCase(Locale.ROOT));
  private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "transfer-encoding",
      "content-length", "date", "server", ":status");

  private static final Logger LOG = LoggerFactory.getLogger(BackendProxy.class);

  private final HttpClient http;
  private final MetricsCollector metrics;
  private final Duration timeout;

  public BackendProxy(HttpClient http, MetricsCollector metrics, Duration timeout) {
    this.http = http;
    this.metrics = metrics;
    this.timeout = timeout;
  }

  /**
   * Forwards {@code ctx} along {@code route} and answers it; returns the status label
   * ({@code "200"}, ..., {@code "502"} when the backend gave no answer, {@code "circuit_open"}).
   */
  public String forward(Context ctx, GatewayRoute route, CircuitBreaker breaker) {
    Backend backend = route.backend();
    if (!breaker.tryAcquirePermission()) {
      // Resilience4j publishes the not-permitted event itself: a rejection, not a failure
      return answer(ctx, backend, 503, "circuit_open", "backend " + backend.service() + " is unavailable (circuit open)");
    }
    long start = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request(ctx, route), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException | java.net.ConnectException e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      return answer(ctx, backend, 502, "connect_error", "backend " + backend.service() + " is unreachable");
    } catch (HttpTimeoutException e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      return answer(ctx, backend, 504, "timeout", "backend " + backend.service() + " timed out");
    } catch (IOException e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      return answer(ctx, backend, 502, "io_error", "backend " + backend.service() + " failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      breaker.releasePermission();
      return answer(ctx, backend, 503, "interrupted", "gateway shutting down");
    }
    int status = response.statusCode();
    if (status >= 500) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS,
          new IOException("backend " + backend.service() + " answered " + status));
    } else {
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), Integer.toString(status));
    copyBack(ctx, response);
    return Integer.toString(status);
  }

  private HttpRequest request(Context ctx, GatewayRoute route) {
    String query = ctx.queryString();
    String target = route.backendPath(ctx.path()) + (query == null || query.isEmpty() ? "" : "?" + query);
    HttpRequest.Builder b = HttpRequest.newBuilder(route.backend().resolve(target)).timeout(timeout);
    for (Map.Entry<String, String> h : ctx.headerMap().entrySet()) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        b.header(h.getKey(), h.getValue());
      }
    }
    b.setHeader("X-Forwarded-For", ctx.req().getRemoteAddr());
    b.setHeader(TIMEOUT_HEADER, Long.toString(timeoutMillis(ctx.header(TIMEOUT_HEADER))));
    // the correlation id the gateway's middleware took or made: the backend logs and echoes the same one
    String correlationId = ctx.res().getHeader(MiddlewareOptions.DEFAULT_CORRELATION_HEADER);
    if (correlationId != null) {
      b.setHeader(MiddlewareOptions.DEFAULT_CORRELATION_HEADER, correlationId);
    }
    byte[] body = ctx.bodyAsBytes();
    String method = ctx.method().name();
    b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    return b.build();
  }

  /** The gateway's backend timeout, or the client's own {@value #TIMEOUT_HEADER} when it is shorter. */
  private long timeoutMillis(String clientTimeout) {
    long own = timeout.toMillis();
    if (clientTimeout != null) {
      try {
        long theirs = Long.parseLong(clientTimeout.trim());
        if (theirs >= 0 && theirs < own) {
          return theirs;
        }
      } catch (NumberFormatException ignored) {
        // not a number: the gateway's own timeout applies
      }
    }
    return own;
  }

  private void copyBack(Context ctx, HttpResponse<InputStream> response) {
    ctx.status(response.statusCode());
    for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (NOT_RETURNED.contains(name) || h.getValue().isEmpty()) {
        continue;
      }
      if (name.equals("content-type")) {
        ctx.contentType(h.getValue().get(0));
      } else {
        ctx.res().setHeader(h.getKey(), h.getValue().get(0));
        h.getValue().stream().skip(1).forEach(v -> ctx.res().addHeader(h.getKey(), v));
      }
    }
    String type = response.headers().firstValue("content-type").orElse("");
    try (InputStream in = response.body()) {
      if (type.startsWith("text/event-stream")) {
        OutputStream out = ctx.outputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } else {
        ctx.result(in.readAllBytes());
      }
    } catch (IOException e) {
      LOG.debug("client went away while the answer of {} was copied back", ctx.path(), e);
    }
  }

  private String answer(Context ctx, Backend backend, int httpStatus, String statusLabel, String message) {
    metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), statusLabel);
    ctx.status(httpStatus).json(Map.of("error", Map.of("type", statusLabel.toUpperCase(Locale.ROOT),
        "message", message)));
    return httpStatus == 503 && "circuit_open".equals(statusLabel) ? statusLabel : Integer.toString(httpStatus);
  }
}
