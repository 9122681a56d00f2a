package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.ClientFailures;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The chain as a Jetty 12 core handler, for a server whose application is a servlet context
 * (Javalin): correlation id, metrics and the access log around every request without the servlet
 * filter's request and response wrappers. The final status, and the body bytes read and written,
 * come from Jetty when the request completes ({@link Response#getContentBytesWritten},
 * {@link Request#getContentBytesRead}), async requests included. The response is wrapped to see
 * its writes fail; the request only when it has a body to read. A read or write that fails on
 * the client's connection marks the request 499 (408 for a client too slow) before the
 * application sees the exception; one that fails because the server ended the response itself
 * ({@link RequestScope#endByServer}, a draining server's event streams) keeps the status it had
 * sent. The endpoint label is the template the application hands over
 * ({@link RequestScope#routeTemplate(String)}, or the {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE}
 * request attribute) or, with none, "unmatched". Inserted at server level, inside the hardening
 * handlers; the path is taken within the server's context.
 *
 * <p>Given {@link ServedPaths}, the handler answers those paths itself (the metrics endpoint, a
 * service's health), so the application's router never sees them and no other request pays for
 * more routes to match against (Javalin tries each route's pattern in turn for every request).
 *
 * <pre>{@code
 * server.insertHandler(new ChainHandler(middleware.requestChain(),
 *     ServedPaths.builder().scrape("/metrics", endpoint).build()));
 * }</pre>
 */
public final class ChainHandler extends Handler.Wrapper {

  private static final String PEER_ATTRIBUTE = ChainHandler.class.getName() + ".peer";

  private final RequestChain chain;
  /** The correlation header's well-known name, null for any other (looked up once, not per response). */
  private final HttpHeader correlationHeader;
  /** The paths this handler answers itself. */
  private final ServedPaths paths;
  private volatile String contextPath = "";
  /** Those paths as requested (under the context path, set on start). */
  private volatile ServedPaths answered = ServedPaths.none();

  /** The chain around every request. */
  public ChainHandler(RequestChain chain) {
    this(chain, ServedPaths.none());
  }

  /** The chain around every request, and {@code paths} (within the server's context) answered by this handler. */
  public ChainHandler(RequestChain chain, ServedPaths paths) {
    this.chain = chain;
    this.correlationHeader = HttpHeader.CACHE.get(chain.correlationHeader());
    this.paths = Objects.requireNonNull(paths, "paths");
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    ContextHandler context = getDescendant(ContextHandler.class);
    String path = context == null ? null : context.getContextPath();
    contextPath = path == null || "/".equals(path) ? "" : path;
    answered = paths.under(contextPath);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if ("websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) { // not a request/response exchange
      return super.handle(request, response, callback);
    }
    String uri = request.getHttpURI().getPath();
    String path = pathWithinApplication(uri);
    RequestScope scope = chain.begin(request.getMethod(), path,
        chain.correlationEnabled() ? request.getHeaders().get(chain.correlationHeader()) : null);
    request.setAttribute(RequestScope.ATTRIBUTE, scope);
    if (chain.logsRequests()) {
      scope.client(chain.clientAddress(peerAddress(request),
          chain.trustsForwardedFor() ? request.getHeaders().get("X-Forwarded-For") : null));
    }
    if (scope.correlationId() != null) {
      request.setAttribute(RequestScope.CORRELATION_ID_ATTRIBUTE, scope.correlationId());
      // pre-encoded: Jetty copies it in one go instead of checking it byte by byte into a direct buffer
      // (the id and the header name are validated tokens already)
      response.getHeaders().put(
          new PreEncodedHttpField(correlationHeader, chain.correlationHeader(), scope.correlationId()));
    }
    Completion completion = new Completion(callback, scope, request, response);
    try {
      Object endpoint = answered.find(uri);
      if (endpoint != null) { // recorded under its own path (unless excluded, as the metrics endpoint is)
        scope.routeTemplate(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        ServedPaths.serve(endpoint, request, response, completion);
        return true;
      }
      // a request without a body has nothing to read: it goes on unwrapped, as it would without the chain
      // (one wrapper less on every call the application makes through it)
      Request served = RequestBodies.mayHaveBody(request) ? new ClientReads(request, scope) : request;
      if (!super.handle(served, new ClientWrites(served, response, scope), completion)) {
        Response.writeError(request, response, completion, 404); // nothing in the server took it
      } else {
        completion.keepTemplate(); // an async request's servlet has handed it over by now
      }
      return true;
    } catch (Throwable e) {
      // the server answers it with its own callback: recorded here as the 500 it becomes
      chain.onException(scope, e);
      chain.finish(scope, template(scope, request, null), true, 500, Request.getContentBytesRead(request), 0);
      throw e;
    } finally {
      chain.leave(scope);
    }
  }

  /**
   * The scope of a request this handler is serving, found by walking Jetty's response wrappers
   * down to this handler's own (a few type checks: a request-attribute lookup through the servlet
   * API costs more; the scope is also the {@value RequestScope#ATTRIBUTE} request attribute of
   * every request it serves); null for a response it does not serve.
   */
  public static RequestScope scopeOf(Response response) {
    ClientWrites writes = Response.as(response, ClientWrites.class);
    return writes == null ? null : writes.scope;
  }

  /**
   * The peer's address as text ({@link Request#getRemoteAddr}), formatted once per connection:
   * Jetty formats the address anew on every call (1.9% of a {@code GET /hello} server's samples).
   * The text is kept in the connection's attributes with the address it was made from, and used
   * only while the request reports that same address object, so a customizer that gives each
   * request its own address ({@code ForwardedRequestCustomizer}, the PROXY protocol) is still
   * asked every time.
   */
  private static String peerAddress(Request request) {
    ConnectionMetaData connection = request.getConnectionMetaData();
    SocketAddress remote = connection.getRemoteSocketAddress();
    if (connection.getAttribute(PEER_ATTRIBUTE) instanceof Peer peer && peer.address() == remote) {
      return peer.text();
    }
    String text = Request.getRemoteAddr(request);
    connection.setAttribute(PEER_ATTRIBUTE, new Peer(remote, text));
    return text;
  }

  /** A connection's peer address and its text. */
  private record Peer(SocketAddress address, String text) {}

  private String pathWithinApplication(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    if (!contextPath.isEmpty() && path.startsWith(contextPath)) {
      path = path.substring(contextPath.length());
    }
    return path.isEmpty() ? "/" : path;
  }

  /**
   * The template handed over: through the scope (the Javalin plugin), else the
   * {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE} request attribute (a servlet or filter in the
   * context), else that attribute as it was when the servlet returned ({@code kept}), else null.
   */
  private static String template(RequestScope scope, Request request, String kept) {
    if (scope.routeTemplate() != null) {
      return scope.routeTemplate();
    }
    Object t = request.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE);
    return t == null ? kept : t.toString();
  }

  /** Records the request when Jetty completes it. */
  private final class Completion extends Callback.Nested {
    private final RequestScope scope;
    private final Request request;
    private final Response response;
    /** The template attribute when the servlet returned: Jetty's failure of an async request makes it unreadable. */
    private volatile String keptTemplate;
    /** Set once recorded; {@link #keepTemplate} reads it only to skip a lookup (a stale false costs one). */
    private boolean completed;

    Completion(Callback callback, RequestScope scope, Request request, Response response) {
      super(callback);
      this.scope = scope;
      this.request = request;
      this.response = response;
    }

    @Override
    public void succeeded() {
      finish(response.getStatus());
      super.succeeded();
    }

    @Override
    public void failed(Throwable x) {
      if (ClientFailures.isClientStreamFailure(x)) {
        scope.clientFailed(x);
      } else if (scope.errorType() == null) {
        chain.onException(scope, x);
      }
      finish(response.isCommitted() ? response.getStatus() : 500);
      super.failed(x);
    }

    /**
     * Keeps the {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE} attribute of a request still in
     * progress after its servlet returned (an async one): once a draining server has failed it,
     * the attribute is no longer readable when it is recorded. Nothing to do for a request
     * already complete or with a template in its scope (Javalin's routes).
     */
    void keepTemplate() {
      if (!completed && scope.routeTemplate() == null) {
        Object t = request.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE);
        if (t != null) {
          keptTemplate = t.toString();
        }
      }
    }

    private void finish(int status) {
      completed = true;
      chain.finish(scope, template(scope, request, keptTemplate), true, status, Request.getContentBytesRead(request),
          Response.getContentBytesWritten(response));
    }
  }

  /** The request, whose body reads flag the scope when they fail on the client's side. */
  private static final class ClientReads extends Request.Wrapper {
    private final RequestScope scope;

    ClientReads(Request request, RequestScope scope) {
      super(request);
      this.scope = scope;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && Content.Chunk.isFailure(chunk) && ClientFailures.isClientStreamFailure(chunk.getFailure())) {
        scope.clientFailed(chunk.getFailure());
      }
      return chunk;
    }
  }

  /** The response, whose writes flag the scope when they fail on the client's side. */
  private static final class ClientWrites extends Response.Wrapper {
    private final RequestScope scope;

    ClientWrites(Request request, Response response, RequestScope scope) {
      super(request, response);
      this.scope = scope;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      super.write(last, content, new Callback.Nested(callback) {
        @Override
        public void failed(Throwable x) {
          if (ClientFailures.isClientStreamFailure(x)) {
            scope.clientFailed(x);
          }
          super.failed(x);
        }
      });
    }
  }
}
