package io.pyairtable.metrics.examples.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.server.ClientPresence;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one request to a backend with {@code java.net.http}, through that backend's circuit
 * breaker, and writes the backend's answer back: status, headers (hop-by-hop ones dropped) and
 * body. Every attempt is counted in {@code gateway_backend_requests_total} with the backend's
 * status code, or {@code connect_error}, {@code timeout}, {@code io_error}, {@code circuit_open} or
 * {@code client_closed}.
 *
 * <p>Streams are proxied as streams. A request that accepts {@code text/event-stream} (MCP's
 * {@code GET /mcp} stream, MCP {@code POST}s, any SSE client) gets no request timeout: the wait
 * for the backend's first byte lasts as long as the client stays (it is checked every
 * {@value #PRESENCE_CHECK_MILLIS} ms), and a {@code text/event-stream} answer is relayed by
 * {@link StreamRelay} (heartbeats while quiet, closed after an idle timeout) instead of being cut
 * by a timeout. Only real backend failures count against the breaker: no connection, a timeout of
 * a plain request, a 5xx. A stream the client closes, or that is idle, is not a failure; the breaker
 * counts a stream as a success once its headers arrived. A session {@code DELETE} (with
 * {@code Mcp-Session-Id}) always goes to the backend, even while the breaker is open, so sessions
 * end on the server; it fails only when the backend cannot be reached.
 *
 * <p>Error replies carry a type and a fixed message, never an exception's. The client's own
 * {@code X-Forwarded-For} is not trusted: the gateway sets it to the peer address it sees. Each
 * forwarded request carries {@value #TIMEOUT_HEADER}: the gateway's backend timeout (or the
 * client's, when shorter), so a backend can drop work whose answer nobody will wait for.
 *
 * <pre>{@code
 * BackendProxy proxy = new BackendProxy(http, Executors.newCachedThreadPool(), metrics, Duration.ofSeconds(30),
 *     Duration.ofSeconds(15), Duration.ofMinutes(5));
 * String status = proxy.forward(ctx, route, breaker); // "200", "502", "circuit_open", "499", ...
 * }</pre>
 */
public final class BackendProxy {

  /** The header that tells a backend how long the gateway waits for its answer, in milliseconds. */
  public static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";
  /** The MCP session header (Streamable HTTP). */
  public static final String SESSION_HEADER = "Mcp-Session-Id";
  /** How often a stream's header wait checks whether the client is still there. */
  public static final long PRESENCE_CHECK_MILLIS = 250;

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
  private final StreamRelay relay;
  private final ExecutorService readers;

  /**
   * @param readers threads that wait for streams' headers and read their bodies (a cached pool)
   * @param timeout the request timeout of plain (non-stream) requests, up to the backend's headers
   * @param heartbeat how often a quiet stream gets an SSE comment line
   * @param streamIdleTimeout how long a stream may stay without a byte from the backend
   */
  public BackendProxy(HttpClient http, ExecutorService readers, MetricsCollector metrics, Duration timeout,
      Duration heartbeat, Duration streamIdleTimeout) {
    this.http = http;
    this.readers = readers;
    this.metrics = metrics;
    this.timeout = timeout;
    this.relay = new StreamRelay(heartbeat, streamIdleTimeout);
  }

  /**
   * Forwards {@code ctx} along {@code route} and answers it; returns the status label
   * ({@code "200"}, ..., {@code "502"} when the backend gave no answer, {@code "circuit_open"},
   * {@code "499"} when the client left first).
   */
  public String forward(Context ctx, GatewayRoute route, CircuitBreaker breaker) {
    Backend backend = route.backend();
    boolean sessionDelete = ctx.method() == HandlerType.DELETE && ctx.header(SESSION_HEADER) != null;
    boolean stream = acceptsEventStream(ctx);
    // a session DELETE is not gated: ending a session must reach the backend whatever the breaker says
    Breaker gate = sessionDelete ? Breaker.NONE : new Breaker(breaker);
    if (!gate.tryAcquire()) {
      // Resilience4j publishes the not-permitted event itself: a rejection, not a failure
      return answer(ctx, backend, 503, "circuit_open", "backend " + backend.service() + " is unavailable (circuit open)");
    }
    long start = System.nanoTime();
    try {
      if (stream) {
        return forwardStream(ctx, route, gate, start);
      }
      HttpResponse<InputStream> response = http.send(request(ctx, route, true), HttpResponse.BodyHandlers.ofInputStream());
      gate.onAnswer(response.statusCode(), start);
      return copyBack(ctx, backend, response);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      gate.onError(start, e);
      return answer(ctx, backend, 502, "connect_error", "backend " + backend.service() + " is unreachable");
    } catch (HttpTimeoutException e) {
      gate.onError(start, e);
      return answer(ctx, backend, 504, "timeout", "backend " + backend.service() + " timed out");
    } catch (IOException e) {
      gate.onError(start, e);
      return answer(ctx, backend, 502, "io_error", "backend " + backend.service() + " failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      gate.release();
      return answer(ctx, backend, 503, "interrupted", "gateway shutting down");
    }
  }

  /**
   * A request that accepts {@code text/event-stream}: sent without a read timeout on its own
   * connection ({@link HttpURLConnection}, which, unlike {@code java.net.http}, can be closed mid-body),
   * so the gateway can end it when the client leaves; the wait for the backend's headers ends when
   * they come, when the client leaves, or when the gateway stops.
   */
  private String forwardStream(Context ctx, GatewayRoute route, Breaker gate, long start)
      throws IOException, InterruptedException {
    Backend backend = route.backend();
    HttpURLConnection connection = open(ctx, route);
    Future<Integer> status = readers.submit(connection::getResponseCode);
    BooleanSupplier clientGone = ClientPresence.of(ctx);
    int code;
    while (true) {
      try {
        code = status.get(PRESENCE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        if (clientGone.getAsBoolean()) {
          connection.disconnect();
          status.cancel(true);
          gate.release();
          metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), "client_closed");
          ctx.status(499);
          return "499";
        }
      } catch (InterruptedException e) {
        connection.disconnect();
        throw e;
      } catch (ExecutionException e) {
        connection.disconnect();
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException("backend request failed", e.getCause());
      }
    }
    gate.onAnswer(code, start);
    metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), Integer.toString(code));
    ctx.status(code);
    for (Map.Entry<String, List<String>> h : connection.getHeaderFields().entrySet()) {
      if (h.getKey() != null) {
        copyHeader(ctx, h.getKey(), h.getValue());
      }
    }
    InputStream body = code >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (body == null) {
      connection.disconnect();
      return Integer.toString(code);
    }
    String type = connection.getContentType();
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      StreamRelay.End end = relay.relay(body, ctx.res().getOutputStream(), readers, connection::disconnect, clientGone);
      LOG.debug("stream of {} ended: {}", ctx.path(), end);
    } else {
      try (InputStream in = body) {
        ctx.result(in.readAllBytes());
      }
    }
    return Integer.toString(code);
  }

  private HttpURLConnection open(Context ctx, GatewayRoute route) throws IOException {
    String query = ctx.queryString();
    String target = route.backendPath(ctx.path()) + (query == null || query.isEmpty() ? "" : "?" + query);
    HttpURLConnection c = (HttpURLConnection) route.backend().resolve(target).toURL().openConnection(Proxy.NO_PROXY);
    c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    c.setReadTimeout(0);
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    c.setRequestMethod(ctx.method().name());
    for (Map.Entry<String, String> h : ctx.headerMap().entrySet()) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
    }
    c.setRequestProperty("X-Forwarded-For", ctx.req().getRemoteAddr());
    c.setRequestProperty(TIMEOUT_HEADER, Long.toString(timeoutMillis(ctx.header(TIMEOUT_HEADER))));
    String correlationId = ctx.res().getHeader(MiddlewareOptions.DEFAULT_CORRELATION_HEADER);
    if (correlationId != null) {
      c.setRequestProperty(MiddlewareOptions.DEFAULT_CORRELATION_HEADER, correlationId);
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > 0) {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    return c;
  }

  private static boolean acceptsEventStream(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
  }

  private HttpRequest request(Context ctx, GatewayRoute route, boolean withTimeout) {
    String query = ctx.queryString();
    String target = route.backendPath(ctx.path()) + (query == null || query.isEmpty() ? "" : "?" + query);
    HttpRequest.Builder b = HttpRequest.newBuilder(route.backend().resolve(target));
    if (withTimeout) {
      b.timeout(timeout);
    }
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

  private String copyBack(Context ctx, Backend backend, HttpResponse<InputStream> response) {
    int status = response.statusCode();
    metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), Integer.toString(status));
    copyHeaders(ctx, status, response.headers());
    String type = response.headers().firstValue("content-type").orElse("");
    try (InputStream in = response.body()) {
      if (type.startsWith("text/event-stream")) {
        // the servlet stream itself: Javalin's ctx.outputStream() ignores flush()
        in.transferTo(new FlushingOutput(ctx.res().getOutputStream()));
      } else {
        ctx.result(in.readAllBytes());
      }
    } catch (IOException e) {
      LOG.debug("client went away while the answer of {} was copied back", ctx.path());
    }
    return Integer.toString(status);
  }

  private static void copyHeaders(Context ctx, int status, HttpHeaders headers) {
    ctx.status(status);
    for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
      copyHeader(ctx, h.getKey(), h.getValue());
    }
  }

  private static void copyHeader(Context ctx, String header, List<String> values) {
    String name = header.toLowerCase(Locale.ROOT);
    if (NOT_RETURNED.contains(name) || values.isEmpty()) {
      return;
    }
    if (name.equals("content-type")) {
      ctx.contentType(values.get(0));
    } else {
      ctx.res().setHeader(header, values.get(0));
      values.stream().skip(1).forEach(v -> ctx.res().addHeader(header, v));
    }
  }

  private String answer(Context ctx, Backend backend, int httpStatus, String statusLabel, String message) {
    metrics.apiGateway().recordBackendRequest(backend.service(), backend.instance(), statusLabel);
    ctx.status(httpStatus).json(Map.of("error", Map.of("type", statusLabel.toUpperCase(Locale.ROOT),
        "message", message)));
    return httpStatus == 503 && "circuit_open".equals(statusLabel) ? statusLabel : Integer.toString(httpStatus);
  }

  /** An output stream that flushes after every write (SSE events reach the client as they come). */
  private static final class FlushingOutput extends FilterOutputStream {
    FlushingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      out.flush();
    }
  }

  /** The breaker accounting of one forwarded request ({@link #NONE} for requests that bypass it). */
  private static class Breaker {
    static final Breaker NONE = new Breaker(null);
    private final CircuitBreaker breaker;

    Breaker(CircuitBreaker breaker) {
      this.breaker = breaker;
    }

    boolean tryAcquire() {
      return breaker == null || breaker.tryAcquirePermission();
    }

    /** A 5xx is a failure of the backend, any other answer a success. */
    void onAnswer(int status, long startNanos) {
      if (breaker == null) {
        return;
      }
      if (status >= 500) {
        breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS,
            new IOException("backend answered " + status));
      } else {
        breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      }
    }

    void onError(long startNanos, Throwable e) {
      if (breaker != null) {
        breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, e);
      }
    }

    void release() {
      if (breaker != null) {
        breaker.releasePermission();
      }
    }
  }
}
