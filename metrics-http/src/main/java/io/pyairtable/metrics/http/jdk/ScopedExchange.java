package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * An exchange with attributes of its own. On Java 17 the JDK server keeps exchange attributes
 * in the {@link HttpContext}, shared by every concurrent exchange of the context, so a route
 * template set by one request would label another; the filter hands this wrapper down the chain
 * instead. Everything else goes to the server's exchange.
 *
 * <pre>{@code
 * ScopedExchange scoped = new ScopedExchange(exchange);
 * chain.doFilter(scoped);
 * Object template = scoped.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE);
 * }</pre>
 */
public final class ScopedExchange extends HttpExchange {

  private final HttpExchange delegate;
  private final Map<String, Object> attributes = new HashMap<>(4);

  public ScopedExchange(HttpExchange delegate) {
    this.delegate = delegate;
  }

  /** The server's exchange. */
  public HttpExchange delegate() {
    return delegate;
  }

  @Override
  public synchronized Object getAttribute(String name) {
    return attributes.containsKey(name) ? attributes.get(name) : delegate.getAttribute(name);
  }

  @Override
  public synchronized void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public Headers getRequestHeaders() {
    return delegate.getRequestHeaders();
  }

  @Override
  public Headers getResponseHeaders() {
    return delegate.getResponseHeaders();
  }

  @Override
  public URI getRequestURI() {
    return delegate.getRequestURI();
  }

  @Override
  public String getRequestMethod() {
    return delegate.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return delegate.getHttpContext();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public InputStream getRequestBody() {
    return delegate.getRequestBody();
  }

  @Override
  public OutputStream getResponseBody() {
    return delegate.getResponseBody();
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    delegate.sendResponseHeaders(rCode, responseLength);
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return delegate.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return delegate.getResponseCode();
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return delegate.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return delegate.getProtocol();
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    delegate.setStreams(i, o);
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return delegate.getPrincipal();
  }
}
