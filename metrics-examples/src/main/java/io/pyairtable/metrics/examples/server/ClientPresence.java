package io.pyairtable.metrics.examples.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Tells a long-running handler whether its client is still there, without reading or writing the
 * response: Jetty does not watch a connection while its request is being handled, so a client that
 * closed it is only noticed at the next write. This probe registers the connection's socket with
 * a private selector and asks, without blocking, whether it is readable; during a request (whose
 * body was read) that means end of stream or a reset, i.e. the client has gone. A client that
 * pipelines its next HTTP/1.1 request before the answer (which no common client does) would look
 * gone too. Any failure of the probe itself answers "still there".
 *
 * <pre>{@code
 * BooleanSupplier gone = ClientPresence.of(ctx);
 * while (morePages && !gone.getAsBoolean()) { ... }
 * }</pre>
 */
public final class ClientPresence {

  private ClientPresence() {}

  /** A probe for the client of {@code ctx}: true once it has closed its connection. */
  public static BooleanSupplier of(Context ctx) {
    EndPoint endPoint;
    try {
      ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
      endPoint = request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
    } catch (RuntimeException e) {
      endPoint = null;
    }
    if (endPoint == null || !(endPoint.getTransport() instanceof SelectableChannel channel)) {
      return () -> false;
    }
    EndPoint ep = endPoint;
    return () -> !ep.isOpen() || readable(channel);
  }

  private static boolean readable(SelectableChannel channel) {
    if (!channel.isOpen()) {
      return true;
    }
    try (Selector selector = Selector.open()) {
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      try {
        return selector.selectNow() > 0 && key.isReadable();
      } finally {
        key.cancel();
        selector.selectNow(); // deregisters the key before the selector closes
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
