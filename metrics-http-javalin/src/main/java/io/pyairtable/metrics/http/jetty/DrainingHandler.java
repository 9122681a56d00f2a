package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.RequestScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link GracefulHandler} with the draining the services need: once {@link #drain} has
 * started, a request that still arrives (on a keep-alive connection) is answered {@code 503} with
 * {@code Connection: close} (written by the server's error handler, which {@link RejectionRecorder}
 * counts with {@code endpoint="unmatched"}); {@link #drain} waits
 * for the requests in flight at most the grace period and then reports, instead of throwing,
 * how many it gives up on. Installed by {@link JettyHardening}.
 *
 * <p>Event streams are not waited out: a {@code GET} that accepts {@code text/event-stream} over
 * HTTP/1.x (MCP's standalone stream, a server-sent-events feed) is open-ended, so waiting would
 * only hold the stop for the whole grace period. When draining starts, each stream in progress is
 * ended at once, and the drain waits only until its application has completed it (so it is recorded):
 * <ul>
 *   <li>its scope is marked {@linkplain RequestScope#endByServer ended by the server}: it is
 *       recorded with the status it had sent, or 503 if it had sent nothing, never as a 499;
 *   <li>the request fails as on a broken connection: an async servlet's
 *       {@code AsyncListener.onError} runs, where MCP's SDK and Javalin's SSE end the stream;
 *   <li>its connection is closed, so its client reconnects, to another instance.
 * </ul>
 * Over HTTP/2 a connection carries other requests too, so such streams are waited for like any
 * request.
 *
 * <pre>{@code
 * DrainingHandler draining = new DrainingHandler();
 * server.insertHandler(draining);
 * // on stop:
 * long abandoned = draining.drain(Duration.ofSeconds(10));
 * }</pre>
 */
public final class DrainingHandler extends GracefulHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DrainingHandler.class);
  private static final String EVENT_STREAM = "text/event-stream";

  private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler next = getHandler();
    if (next == null || !isEventStream(request) || isShutdown()) {
      return super.handle(request, response, callback); // counted, or refused once draining
    }
    EventStream stream = new EventStream(request, response, callback);
    streams.add(stream);
    if (isShutdown()) { // draining started meanwhile and may have missed it: refused like any late request
      streams.remove(stream);
      return super.handle(request, response, callback);
    }
    try {
      if (!next.handle(request, response, stream)) {
        streams.remove(stream);
        return false;
      }
      return true;
    } catch (Throwable e) {
      streams.remove(stream);
      throw e;
    }
  }

  /**
   * Starts draining: new requests are refused, and every event stream in progress is ended.
   *
   * @return completes when the other requests in flight have finished and the streams it ended have
   *     completed (and so been recorded: their application ends them on the failure, within milliseconds)
   */
  @Override
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = super.shutdown();
    List<CompletableFuture<Void>> ended = new ArrayList<>();
    for (EventStream stream : streams) {
      if (stream.end()) {
        ended.add(stream.completed);
      }
    }
    if (ended.isEmpty()) {
      return done;
    }
    LOG.info("draining: ended {} event stream(s); their clients reconnect elsewhere", ended.size());
    ended.add(done);
    return CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new));
  }

  /** A {@code GET} accepting {@code text/event-stream} on an HTTP/1.x connection. */
  static boolean isEventStream(Request request) {
    if (!HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
      return false;
    }
    // Jetty's own match: one of the comma-separated values, any case, parameters (;q=) ignored
    return request.getHeaders().contains(HttpHeader.ACCEPT, EVENT_STREAM);
  }

  @Override
  protected void handleShutdownRejection(Request request, Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    super.handleShutdownRejection(request, response, callback);
  }

  /**
   * Starts refusing new requests and waits at most {@code grace} for those in flight.
   *
   * @return the number of requests still in flight when the grace period ended (0 when all finished)
   */
  public long drain(Duration grace) {
    return await(shutdown(), grace);
  }

  /**
   * Waits at most {@code grace} for {@code done} (the future of {@link #shutdown()}).
   *
   * @return the number of requests still in flight when the grace period ended (0 when all finished)
   */
  long await(CompletableFuture<Void> done, Duration grace) {
    try {
      done.get(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
      return 0;
    } catch (TimeoutException e) {
      long left = inFlight();
      LOG.warn("{} request(s) still in flight after the {} ms shutdown grace period; closing their connections",
          left, grace.toMillis());
      return left;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return inFlight();
    } catch (ExecutionException e) {
      LOG.warn("draining failed: {}", e.getCause().getClass().getSimpleName());
      return inFlight();
    }
  }

  /** The requests in flight: those the graceful handler counts, and the event streams not yet completed. */
  private long inFlight() {
    return getCurrentRequestCount() + streams.size();
  }

  /** An event stream in progress: forgotten when it completes, ended when draining starts. */
  private final class EventStream extends Callback.Nested {
    private final Request request;
    private final Response response;
    /** Ended once: a second drain (a service's own stop, then its server's) finds it still listed. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Completes once the request has (the chain inside has recorded it by then). */
    final CompletableFuture<Void> completed = new CompletableFuture<>();

    EventStream(Request request, Response response, Callback callback) {
      super(callback);
      this.request = request;
      this.response = response;
    }

    @Override
    public void succeeded() {
      streams.remove(this);
      try {
        super.succeeded();
      } finally {
        completed.complete(null);
      }
    }

    @Override
    public void failed(Throwable x) {
      streams.remove(this);
      try {
        super.failed(x);
      } finally {
        completed.complete(null);
      }
    }

    /**
     * Marks the scope ended by the server, fails the request as a broken connection would (so an
     * idle async stream completes: the servlet's async listeners hear of it, Javalin's SSE
     * clients close) and closes the connection; false if that failed or it was ended before (the
     * status it is recorded with is decided once, before Jetty's own failure handling can commit a 500).
     */
    boolean end() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      try {
        if (request.getAttribute(RequestScope.ATTRIBUTE) instanceof RequestScope scope) {
          scope.endByServer(response.isCommitted() ? response.getStatus() : RequestScope.SERVER_ENDED_STATUS);
        }
        Runnable notify = HttpChannel.from(request).onFailure(new EofException("the server is draining"));
        if (notify != null) {
          notify.run();
        }
        request.getConnectionMetaData().getConnection().getEndPoint().close();
        return true;
      } catch (RuntimeException e) {
        LOG.debug("could not end an event stream", e);
        return false;
      }
    }
  }
}
