package io.pyairtable.metrics.examples.server;

import io.javalin.Javalin;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.examples.shutdown.GracefulStop;
import io.pyairtable.metrics.examples.shutdown.OrderedShutdown;
import io.pyairtable.metrics.http.service.FullMetricsService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The life cycle every example service shares: one metrics-http turnkey Javalin app (its own
 * collector, no JVM shutdown hook of its own — the demo's {@link OrderedShutdown} stops it — and a
 * named Jetty thread pool) in the service's role, started on the configured host and port (a start
 * that fails stops what the service already holds), drained by a shared deadline on {@link #stop},
 * after which the service releases the rest ({@link #release()}) and its {@link #daemonThreads}
 * stop. Stopping twice is a no-op.
 *
 * <pre>{@code
 * final class HelloService extends TurnkeyService {
 *   HelloService(MetricsCollector collector) {
 *     super(collector, MetricGroup.API_GATEWAY, "127.0.0.1");
 *     app(turnkey("hello", "1.0.0", 64).configure(c -> c.routes.get("/hello", ctx -> ctx.result("hi"))));
 *   }
 *   protected void release() {}
 * }
 * HelloService hello = TurnkeyService.listen(new HelloService(collector), 0);
 * }</pre>
 */
public abstract class TurnkeyService implements OrderedShutdown.Service {

  private final MetricsCollector collector;
  private final String host;
  private final List<ExecutorService> ownThreads = new ArrayList<>();
  private Javalin app;
  private boolean stopped;

  /** A service recording into {@code collector} in {@code role}, to listen on {@code host}. */
  protected TurnkeyService(MetricsCollector collector, MetricGroup role, String host) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.host = Objects.requireNonNull(host, "host");
    collector.registry().declareRole(role);
  }

  /**
   * The turnkey service {@code serviceName} at {@code version} recording into this service's
   * collector, on a Jetty pool of at most {@code maxThreads} threads named {@code poolName}.
   */
  protected final FullMetricsService.Builder turnkey(String serviceName, String version, int maxThreads,
      String poolName) {
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, 4);
    pool.setName(poolName);
    return FullMetricsService.builder(serviceName).version(version).collector(collector).stopOnJvmShutdown(false)
        .configure(c -> {
          c.startup.showOldJavalinVersionWarning = false;
          c.jetty.threadPool = pool;
        });
  }

  /**
   * A pool of daemon threads named {@code name-N} for work outside HTTP (the service's outbound HTTP
   * client, say), shut down once {@link #release()} has run.
   */
  protected final synchronized ExecutorService daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ownThreads.add(threads);
    return threads;
  }

  /** Builds the app this service serves on (not started yet). */
  protected final void app(FullMetricsService.Builder turnkey) {
    this.app = turnkey.build();
  }

  /**
   * Starts {@code service}'s app on its host and {@code port} (0: a free port), then
   * {@link #started()}; if either fails, the service is closed and the failure rethrown.
   */
  public static <S extends TurnkeyService> S listen(S service, int port) {
    TurnkeyService s = service;
    try {
      s.app.start(s.host, port);
      s.started();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return service;
  }

  /** What starts once HTTP listens (by default nothing). */
  protected void started() {
  }

  /** The port the service listens on. */
  public final int port() {
    return app.port();
  }

  /** {@code http://host:port}. */
  public final String baseUrl() {
    return "http://" + host + ":" + port();
  }

  /** The collector this service records into. */
  public final MetricsCollector collector() {
    return collector;
  }

  /** Drains HTTP until {@code deadlineNanos} (in-flight requests finish), then {@link #release()}s the rest. */
  @Override
  public final synchronized void stop(long deadlineNanos) {
    if (stopped) {
      return;
    }
    stopped = true;
    if (app != null) {
      GracefulStop.stop(app, deadlineNanos);
    }
    release();
    ownThreads.forEach(ExecutorService::shutdownNow);
  }

  /** Releases what the service holds besides HTTP, once HTTP has drained or when a start-up fails. */
  protected abstract void release();
}
