package io.pyairtable.metrics.examples.shutdown;

import io.javalin.Javalin;
import io.pyairtable.metrics.http.jetty.DrainingHandler;
import io.pyairtable.metrics.http.jetty.JettyHardening;
import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

/**
 * Stops a turnkey service's Javalin app by a deadline shared with the other services of one
 * shutdown: metrics-http's drain (stop accepting, {@code 503} with {@code Connection: close} on
 * open connections, in-flight requests run on) is given the time left until the deadline rather
 * than a grace period of its own, so services stopped one after another still finish within one
 * grace period; requests still in flight at the deadline have their connections closed, and the
 * app then stops at once.
 *
 * <pre>{@code
 * long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
 * GracefulStop.stop(app, deadline);
 * }</pre>
 */
public final class GracefulStop {

  private GracefulStop() {}

  /** Drains {@code app} until {@code deadlineNanos} (on {@link System#nanoTime()}'s clock), then stops it. */
  public static void stop(Javalin app, long deadlineNanos) {
    Server server = app.jettyServer().server();
    DrainingHandler draining = server.getDescendant(DrainingHandler.class);
    if (draining != null && server.isStarted()) {
      long left = JettyHardening.drain(server, draining,
          Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
      if (left > 0) {
        for (Connector connector : server.getConnectors()) {
          connector.getConnectedEndPoints().forEach(EndPoint::close);
        }
      }
    }
    app.stop();
  }
}
