package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.pyairtable.metrics.http.chain.CountingInputStream;
import io.pyairtable.metrics.http.chain.CountingOutputStream;
import io.pyairtable.metrics.http.chain.ErrorResponse;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The chain as a JDK {@code com.sun.net.httpserver} filter: correlation id, metrics, request
 * logging and error handling, with body bytes counted on the exchange's real streams (fixed
 * length and chunked) and the status actually sent. The endpoint label is the
 * {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE} exchange attribute a handler may set (kept per
 * exchange by {@link ScopedExchange}, since Java 17 shares attributes across a context), else a
 * configured route template, else the normalized path (a 404 without a template is "unmatched").
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
 * HttpContext items = server.createContext("/items", itemsHandler);
 * items.getFilters().add(new MetricsHttpFilter(MiddlewareOptions.builder()
 *     .metricsCollector(collector).routeTemplates("/items/{id}").build()));
 * }</pre>
 */
public final class MetricsHttpFilter extends Filter {

  private final RequestChain chain;

  public MetricsHttpFilter(MiddlewareOptions options) {
    this(new RequestChain(options));
  }

  /** A filter over an existing chain (one chain may serve many contexts). */
  public MetricsHttpFilter(RequestChain chain) {
    this.chain = chain;
  }

  /** The core this filter runs. */
  public RequestChain requestChain() {
    return chain;
  }

  @Override
  public String description() {
    return "PyAirtable metrics chain: correlation id, metrics, request logging, error handling";
  }

  @Override
  public void doFilter(HttpExchange serverExchange, Chain next) throws IOException {
    ScopedExchange exchange = new ScopedExchange(serverExchange);
    String path = exchange.getRequestURI().getRawPath();
    RequestScope scope = chain.begin(exchange.getRequestMethod(), path,
        chain.correlationEnabled() ? exchange.getRequestHeaders().getFirst(chain.correlationHeader()) : null);
    exchange.setAttribute(RequestScope.ATTRIBUTE, scope);
    if (chain.logsRequests()) {
      InetSocketAddress peer = exchange.getRemoteAddress();
      scope.client(chain.clientAddress(peer == null || peer.getAddress() == null ? null
          : peer.getAddress().getHostAddress(),
          chain.trustsForwardedFor() ? exchange.getRequestHeaders().getFirst("X-Forwarded-For") : null));
    }
    if (scope.correlationId() != null) {
      exchange.setAttribute(RequestScope.CORRELATION_ID_ATTRIBUTE, scope.correlationId());
      exchange.getResponseHeaders().set(chain.correlationHeader(), scope.correlationId());
    }
    CountingInputStream in = new CountingInputStream(exchange.getRequestBody(), scope);
    CountingOutputStream out = new CountingOutputStream(exchange.getResponseBody(), scope);
    exchange.setStreams(in, out);
    boolean failed = false;
    try {
      next.doFilter(exchange);
    } catch (IOException | RuntimeException | Error e) {
      ErrorResponse error = chain.onException(scope, e);
      if (scope.clientFailed()) {
        exchange.close(); // the client went away (or was too slow): recorded as 499/408, nothing to answer
      } else if (error == null || exchange.getResponseCode() != -1) {
        failed = true;
        throw e;
      }
      byte[] body = error.body();
      exchange.getResponseHeaders().set("Content-Type", ErrorResponse.CONTENT_TYPE);
      exchange.sendResponseHeaders(error.status(), body.length);
      out.write(body);
      out.close();
    } finally {
      int status = exchange.getResponseCode();
      if (status == -1) {
        status = failed ? 500 : 200;
      }
      Object template = exchange.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE);
      String declared = exchange.getRequestHeaders().getFirst("Content-Length");
      long requestBytes = Math.max(in.count(), parseLength(declared));
      chain.finish(scope, template == null ? null : template.toString(), false, status, requestBytes, out.count());
      chain.leave(scope);
    }
  }

  private static long parseLength(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
