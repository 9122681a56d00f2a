package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
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
 * <pre>{@code
 * server.setErrorHandler(new RejectionRecorder(middleware.requestChain()));
 * }</pre>
 */
public final class RejectionRecorder extends ErrorHandler {

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
    long start = System.nanoTime();
    String method = request.getMethod();
    long declared = Math.max(0, request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH));
    return super.handle(request, response, new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        record();
        super.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        record();
        super.failed(x);
      }

      private void record() {
        chain.recordUnrouted(method, response.getStatus(), declared, Response.getContentBytesWritten(response),
            System.nanoTime() - start);
      }
    });
  }
}
