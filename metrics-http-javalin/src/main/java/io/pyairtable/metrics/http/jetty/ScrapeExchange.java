package io.pyairtable.metrics.http.jetty;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One scrape as client_java's exporters see it ({@link PrometheusHttpExchange}), over a Jetty 12
 * core request and response: what {@code HttpExchangeAdapter} is for a servlet. The body is
 * written through a blocking stream ({@link Content.Sink#asOutputStream}), so it is used on a
 * thread that may block (the handler's, below a blocking application). {@link #close()} ends the
 * response's content; the caller then completes Jetty's callback.
 *
 * <pre>{@code
 * try (ScrapeExchange exchange = new ScrapeExchange(request, response)) {
 *   endpoint.handle(exchange, request.getHeaders().get(HttpHeader.AUTHORIZATION));
 * }
 * callback.succeeded();
 * }</pre>
 */
final class ScrapeExchange implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {

  private final Request request;
  private final Response response;
  private OutputStream body;

  ScrapeExchange(Request request, Response response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return this;
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return this;
  }

  @Override
  public String getQueryString() {
    return request.getHttpURI().getQuery();
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return request.getHeaders().getValues(name);
  }

  @Override
  public String getMethod() {
    return request.getMethod();
  }

  @Override
  public String getRequestPath() {
    return request.getHttpURI().getPath();
  }

  @Override
  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  @Override
  public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
    response.setStatus(statusCode);
    if (contentLength > 0) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, contentLength);
    }
    body = Content.Sink.asOutputStream(response);
    return body;
  }

  @Override
  public void handleException(IOException e) throws IOException {
    throw e;
  }

  @Override
  public void handleException(RuntimeException e) {
    throw e;
  }

  /** Ends the body, if one was started (what is left unwritten, Jetty completes with the callback). */
  @Override
  public void close() {
    if (body != null) {
      try {
        body.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
