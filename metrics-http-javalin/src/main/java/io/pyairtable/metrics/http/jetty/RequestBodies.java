package io.pyairtable.metrics.http.jetty;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

/**
 * Whether a request may carry a body: the handlers that watch a body as it is read (its size,
 * its rate, a client failing while it sends it) wrap only such requests, so a request without one
 * reaches the application as Jetty made it, with no wrapper on the calls it makes through it.
 *
 * <pre>{@code
 * Request next = RequestBodies.mayHaveBody(request) ? new Watched(request) : request;
 * }</pre>
 */
final class RequestBodies {

  private RequestBodies() {}

  /**
   * Over HTTP/1 only a request that declares a body does: a {@code Content-Length} above 0 or a
   * {@code Transfer-Encoding}. Over HTTP/2 and 3 any request may (data frames need neither header).
   */
  static boolean mayHaveBody(Request request) {
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
      return true;
    }
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }
}
