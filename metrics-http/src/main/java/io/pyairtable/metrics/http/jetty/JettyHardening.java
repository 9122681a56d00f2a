package io.pyairtable.metrics.http.jetty;

import io.javalin.config.JavalinConfig;
import io.pyairtable.metrics.http.chain.RequestChain;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
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
 * <pre>{@code
 * Javalin app = Javalin.create(config -> {
 *   HttpMiddleware middleware = HttpMetrics.setupMiddleware(config, options);
 *   JettyHardening.install(config, ServerLimits.defaults(), middleware.requestChain());
 * });
 * }</pre>
 */
public final class JettyHardening {

  private JettyHardening() {}

  /**
   * Applies {@code limits} to the server a Javalin app will start and drains it on
   * {@code app.stop()} (Javalin's server-stopping event runs before Jetty stops).
   *
   * @param chain where Jetty's own rejections are recorded (null: not recorded)
   */
  public static void install(JavalinConfig config, ServerLimits limits, RequestChain chain) {
    AtomicReference<Server> server = new AtomicReference<>();
    AtomicReference<DrainingHandler> draining = new AtomicReference<>();
    config.jetty.modifyHttpConfiguration(http -> applyRates(http, limits));
    config.jetty.modifyServer(s -> {
      server.set(s);
      draining.set(apply(s, limits, chain));
    });
    config.events.serverStopping(() -> {
      if (server.get() != null && draining.get() != null) {
        drain(server.get(), draining.get(), limits.shutdownGrace());
      }
    });
  }

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
      server.insertHandler(new SizeLimitHandler(limits.maxRequestBody(), -1));
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
          org.eclipse.jetty.server.HttpConnectionFactory http =
              c.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
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
    java.util.concurrent.CompletableFuture<Void> done = draining.shutdown();
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

  private static void applyRates(HttpConfiguration http, ServerLimits limits) {
    http.setMinRequestDataRate(limits.minRequestDataRate());
    http.setMinResponseDataRate(limits.minResponseDataRate());
    http.setIdleTimeout(limits.idleTimeout().toMillis());
  }
}
