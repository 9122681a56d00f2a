package io.pyairtable.metrics.http.chain;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The state of one request between {@link RequestChain#begin} and {@link RequestChain#finish}:
 * its correlation id, start time, method label and the exception the error handler saw. Adapters
 * keep it for the request (as a request or exchange attribute).
 *
 * <pre>{@code
 * RequestScope scope = chain.begin(method, path, header);
 * try { next.handle(); } finally { chain.finish(scope, template, false, status, in, out); chain.leave(scope); }
 * }</pre>
 */
public final class RequestScope {

  /** The attribute name adapters store the scope under. */
  public static final String ATTRIBUTE = RequestScope.class.getName();

  /** The attribute name of the correlation id (also readable from the SLF4J MDC key {@code correlation_id}). */
  public static final String CORRELATION_ID_ATTRIBUTE = "correlation_id";

  /**
   * The attribute an application (or a framework) sets to the matched route template when the
   * adapter cannot see it, for example a servlet that dispatches routes itself.
   */
  public static final String ROUTE_TEMPLATE_ATTRIBUTE = "io.pyairtable.metrics.http.routeTemplate";

  /**
   * The status of a request the server ended itself ({@link #endByServer}) before sending
   * anything: 503, as for any request a stopping server turns away.
   */
  public static final int SERVER_ENDED_STATUS = 503;

  final String method;
  final String path;
  final String correlationId;
  final long startNanos;
  final boolean excluded;
  final Thread thread;
  volatile String errorType;
  /** 0, or the status the client's own failure gives the request: 499 (it went away) or 408 (too slow). */
  volatile int clientFailure;
  /** The client address for the access log (the peer, or X-Forwarded-For when trusted), or null. */
  volatile String client;
  /** The route template the framework matched, handed over by its adapter, or null. */
  volatile String routeTemplate;
  /** 0, or the status recorded for a response the server ended itself (see {@link #endByServer}). */
  volatile int endedStatus;
  private volatile int finished;

  private static final AtomicIntegerFieldUpdater<RequestScope> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(RequestScope.class, "finished");

  RequestScope(String method, String path, String correlationId, boolean excluded) {
    this.method = method;
    this.path = path;
    this.correlationId = correlationId;
    this.excluded = excluded;
    this.thread = Thread.currentThread();
    this.startNanos = System.nanoTime();
  }

  /** The correlation id of this request, or null when correlation ids are off. */
  public String correlationId() {
    return correlationId;
  }

  /** The method label (a standard method or {@code OTHER}). */
  public String method() {
    return method;
  }

  /** True when the path is excluded from metrics and the access log. */
  public boolean excluded() {
    return excluded;
  }

  /** The simple class name of the exception the handler threw, or null. */
  public String errorType() {
    return errorType;
  }

  /**
   * Reading the request body or writing the response failed on the client's connection: the
   * request is recorded as {@value ClientFailures#CLIENT_CLOSED_REQUEST} (or 408 when the client
   * was too slow), never as a server error. The first failure wins.
   */
  public void clientFailed(Throwable failure) {
    if (clientFailure == 0 && endedStatus == 0) {
      clientFailure = ClientFailures.isTimeout(failure) ? 408 : ClientFailures.CLIENT_CLOSED_REQUEST;
    }
  }

  /** Sets the client address the access log shows (see {@link RequestChain#clientAddress}). */
  public void client(String address) {
    this.client = address;
  }

  /**
   * Hands over the route template the framework matched ({@code /items/{id}}), as an adapter
   * that sees the framework's routing does; it takes precedence over
   * {@value #ROUTE_TEMPLATE_ATTRIBUTE}.
   */
  public void routeTemplate(String template) {
    this.routeTemplate = template;
  }

  /** The route template handed over by {@link #routeTemplate(String)}, or null. */
  public String routeTemplate() {
    return routeTemplate;
  }

  /** True once reading or writing failed on the client's side. */
  public boolean clientFailed() {
    return clientFailure != 0;
  }

  /**
   * The server is ending this response itself, as a draining server does with an event stream
   * (it closes the connection instead of waiting out its grace period for a stream that never
   * ends). The connection failures that follow are the server's doing, not the client's: they
   * make neither a 499 nor an exception's error, and the request is recorded with
   * {@code statusSent}, whatever the application sets afterwards (a 503 counts its
   * {@code http_5xx} error, as every 503 does). Call it before closing the connection; it does
   * nothing once the client's side has failed.
   *
   * @param statusSent the status the response had sent (its status once committed), or
   *     {@value #SERVER_ENDED_STATUS} when it had sent nothing
   */
  public void endByServer(int statusSent) {
    if (statusSent < 100 || statusSent > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + statusSent);
    }
    if (clientFailure == 0) {
      endedStatus = statusSent;
    }
  }

  /** True once {@link #endByServer} was called while the client was still there. */
  public boolean endedByServer() {
    return endedStatus != 0;
  }

  /** Marks the scope finished; true only the first time, so a request is recorded once. */
  boolean markFinished() {
    return finished == 0 && FINISHED.compareAndSet(this, 0, 1);
  }
}
