package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server-level Jetty error handler that counts what Jetty answers itself, before any
 * application handler (and so before the metrics chain) sees the request: a malformed request
 * line (400), a body over a limit (413), a URI too long (414), headers too large (431), the 503
 * of a draining server. Each is recorded in {@code http_requests_total} and the HTTP histograms
 * with {@code endpoint="unmatched"}, its real status and the body bytes Jetty wrote. The error
 * page shows the status only: no causes, stacks or parser messages.
 *
 * <p>Each such request is recorded once, with the status the server chose. When the connection
 * closes while that answer is being written (a stopping server closes its connections), Jetty
 * calls the error handler again for the same request, now with a 500 for the broken write; that
 * second call records the first answer (if its own callback never completed) and not a 500 the
 * client never received.
 *
 * <pre>{@code
 * server.setErrorHandler(new RejectionRecorder(middleware.requestChain()));
 * }</pre>
 */
public final class RejectionRecorder extends ErrorHandler {

  /** The request attribute holding the rejection being recorded (shared by Jetty's later error requests). */
  private static final String REJECTION = RejectionRecorder.class.getName() + ".rejection";

  private final RequestChain chain;

  public RejectionRecorder(RequestChain chain) {
    this.chain = chain;
    setShowCauses(false);
    setShowStacks(false);
    setShowMessageInTitle(false);
  }

  /** Installs a recorder as {@code server}'s error handler. */
  public static RejectionRecorder install(Server server, RequestChain chain) {
    RejectionRecorder recorder = new RejectionRecorder(chain);
    server.setErrorHandler(recorder);
    return recorder;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (request.getAttribute(RequestScope.ATTRIBUTE) != null) { // the chain saw it and records it
      return super.handle(request, response, callback);
    }
    Rejection rejection = request.getAttribute(REJECTION) instanceof Rejection earlier ? earlier
        : new Rejection(request.getMethod(), response.getStatus(),
            Math.max(0, request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH)));
    request.setAttribute(REJECTION, rejection);
    return super.handle(request, response, new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        rejection.record(response);
        super.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        rejection.record(response);
        super.failed(x);
      }
    });
  }

  /** One request the server answered itself: recorded once, with the status first chosen for it. */
  private final class Rejection {
    private final String method;
    private final int status;
    private final long declaredBytes;
    private final long start = System.nanoTime();
    private final AtomicBoolean recorded = new AtomicBoolean();

    Rejection(String method, int status, long declaredBytes) {
      this.method = method;
      this.status = status;
      this.declaredBytes = declaredBytes;
    }

    void record(Response response) {
      if (recorded.compareAndSet(false, true)) {
        chain.recordUnrouted(method, status, declaredBytes, Response.getContentBytesWritten(response),
            System.nanoTime() - start);
      }
    }
  }
}
