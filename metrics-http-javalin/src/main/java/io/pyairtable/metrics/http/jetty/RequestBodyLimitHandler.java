package io.pyairtable.metrics.http.jetty;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's {@link SizeLimitHandler} for request bodies, applied only to requests that may carry
 * one ({@link RequestBodies}): Jetty's wraps every request and response to count their bytes, so
 * a {@code GET} would pay for two wrappers that can never trip. A body over the limit is refused
 * exactly as Jetty refuses it (413, by its {@code Content-Length} up front or when the bytes read pass it).
 *
 * <pre>{@code
 * server.insertHandler(new RequestBodyLimitHandler(10 << 20)); // bytes
 * }</pre>
 */
final class RequestBodyLimitHandler extends SizeLimitHandler {

  RequestBodyLimitHandler(long maxRequestBody) {
    super(maxRequestBody, -1);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (RequestBodies.mayHaveBody(request)) {
      return super.handle(request, response, callback);
    }
    Handler next = getHandler();
    return next != null && next.handle(request, response, callback);
  }
}
