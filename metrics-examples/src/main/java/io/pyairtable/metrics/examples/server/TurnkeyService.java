package io.pyairtable.metrics.examples.server;

import io.javalin.Javalin;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.shutdown.GracefulStop;
import io.pyairtable.metrics.examples.shutdown.OrderedShutdown;
import io.pyairtable.metrics.http.service.FullMetricsService;
import java.util.Objects;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The life cycle every example service shares: one metrics-http turnkey Javalin app (its own
 * collector, no JVM shutdown hook of its own — the demo's {@link OrderedShutdown} stops it — and a
 * named Jetty thread pool), started on the configured host and port (a start that fails stops
 * what the service already holds), drained by a shared deadline on {@link #stop}, after which the
 * service releases the rest ({@link #release()}). Stopping twice is a no-op.
 *
 * <pre>{@code
 * final class HelloService extends TurnkeyService {
 *   HelloService(MetricsCollector collector) {
 *     super(collector, "127.0.0.1");
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
  private Javalin app;
  private boolean stopped;

  protected TurnkeyService(MetricsCollector collector, String host) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.host = Objects.requireNonNull(host, "host");
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
  }

  /** Releases what the service holds besides HTTP, once HTTP has drained or when a start-up fails. */
  protected abstract void release();
}
