package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.RequestChain;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What every Jetty server the project starts gets: the {@link ServerLimits} (connector idle
 * timeout, minimum request and response data rates, a request body limit answered 413), request
 * bodies read without holding a
 * thread before the handler runs (Jetty's {@link EagerContentHandler}, with the minimum rate
 * enforced while it reads by {@link MinimumRateHandler}), Jetty's own rejections
 * counted ({@link RejectionRecorder}), and one graceful stop path ({@link DrainingHandler}): on
 * stop the connectors stop accepting, requests arriving on open connections get {@code 503} with
 * {@code Connection: close}, in-flight requests get the grace period, then the server stops
 * without waiting again and without throwing.
 *
 * <p>Javalin apps get it from {@code JavalinMetricsPlugin}'s {@code serverLimits}; a plain Jetty
 * server with the servlet filter:
 *
 * <pre>{@code
 * DrainingHandler draining = JettyHardening.apply(server, ServerLimits.defaults(), middleware.requestChain());
 * server.start();
 * ...
 * JettyHardening.drain(server, draining, Duration.ofSeconds(10));
 * server.stop();
 * }</pre>
 */
public final class JettyHardening {

  private JettyHardening() {}

  /**
   * Applies {@code limits} to a Jetty server before it starts: its handler is wrapped in a
   * {@link DrainingHandler} and an {@link EagerContentHandler}, its error handler counts
   * rejections, and its connectors (as they are when it starts) get the idle timeout and rates.
   *
   * @return the draining handler, to pass to {@link #drain}
   */
  public static DrainingHandler apply(Server server, ServerLimits limits, RequestChain chain) {
    if (limits.maxBufferedBody() > 0) {
      server.insertHandler(new EagerContentHandler(
          new EagerContentHandler.RetainedContentLoaderFactory(limits.maxBufferedBody(), -1, false)));
    }
    if (limits.maxRequestBody() > 0) {
      server.insertHandler(new RequestBodyLimitHandler(limits.maxRequestBody()));
    }
    if (limits.minRequestDataRate() > 0) {
      server.insertHandler(new MinimumRateHandler(limits.minRequestDataRate()));
    }
    DrainingHandler draining = new DrainingHandler();
    server.insertHandler(draining);
    if (chain != null) {
      RejectionRecorder.install(server, chain);
    }
    server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        for (Connector c : server.getConnectors()) {
          if (c instanceof AbstractConnector) {
            AbstractConnector connector = (AbstractConnector) c;
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            // idle keep-alive connections stay open while draining: a request on one is answered 503
            connector.setShutdownIdleTimeout(Math.max(1000, limits.shutdownGrace().toMillis()));
          }
          HttpConnectionFactory http =
              c.getConnectionFactory(HttpConnectionFactory.class);
          if (http != null) {
            applyRates(http.getHttpConfiguration(), limits);
          }
        }
      }
    });
    return draining;
  }

  /**
   * The one stop path: stop accepting, refuse requests on open connections with 503, give
   * in-flight requests {@code grace}, then let {@code server.stop()} close what is left at once.
   *
   * @return the number of requests abandoned after the grace period
   */
  public static long drain(Server server, DrainingHandler draining, Duration grace) {
    // refuse first, then stop accepting: once the listener is closed, no request can still slip through
    CompletableFuture<Void> done = draining.shutdown();
    for (Connector c : server.getConnectors()) {
      c.shutdown();
    }
    long abandoned = draining.await(done, grace);
    server.setStopTimeout(0); // drained already: Jetty's own graceful wait would only repeat it
    if (server.getThreadPool() instanceof QueuedThreadPool) {
      ((QueuedThreadPool) server.getThreadPool()).setStopTimeout(1000);
    }
    return abandoned;
  }

  /** The idle timeout and minimum data rates of {@code limits} on an HTTP configuration. */
  public static void applyRates(HttpConfiguration http, ServerLimits limits) {
    http.setMinRequestDataRate(limits.minRequestDataRate());
    http.setMinResponseDataRate(limits.minResponseDataRate());
    http.setIdleTimeout(limits.idleTimeout().toMillis());
  }
}
