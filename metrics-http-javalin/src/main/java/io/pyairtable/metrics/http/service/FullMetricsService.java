package io.pyairtable.metrics.http.service;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.javalin.JavalinMetricsPlugin;
import io.pyairtable.metrics.http.jetty.ServedPaths;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import io.pyairtable.metrics.http.middleware.HttpMiddleware;
import io.pyairtable.metrics.http.status.HealthCheck;
import io.pyairtable.metrics.http.status.HealthReport;
import io.pyairtable.metrics.http.status.MetricsSummary;
import io.pyairtable.metrics.http.status.RedisHealthCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The turnkey service, built on {@link JavalinMetricsPlugin}: a Javalin app (not started)
 * with the full chain, the metrics endpoint, {@code <metrics path>/summary} (the service's
 * families as JSON, behind the same credentials), {@code /health} and {@code /health/live}
 * (liveness: 200 while the process serves, with the dependency report), {@code /health/ready}
 * (readiness: 503 when a declared dependency such as Redis is down) and graceful shutdown:
 * {@code app.stop()} stops accepting and lets in-flight requests finish within the timeout.
 *
 * <pre>{@code
 * Javalin app = FullMetricsService.builder("my-service").version("1.0.0")
 *     .redisUrl("redis://localhost:6379")
 *     .options(o -> o.correlationHeader("X-Correlation-ID"))
 *     .configure((config, metrics) -> config.routes.get("/hello", ctx -> ctx.result("hi")))
 *     .build()
 *     .start(8000);
 * }</pre>
 */
public final class FullMetricsService {

  private static final Key<MetricsCollector> COLLECTOR = new Key<>("pyairtable-metrics-collector");
  private static final Key<HttpMiddleware> MIDDLEWARE = new Key<>("pyairtable-metrics-middleware");

  private FullMetricsService() {}

  /** A builder for a service named {@code serviceName}. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  /**
   * The README's {@code create_service_with_full_metrics}: a Javalin app (not started) with the
   * full chain, {@code /metrics}, {@code /metrics/summary}, {@code /health} (liveness),
   * {@code /health/live} and {@code /health/ready} (readiness: Redis PING when {@code redisUrl} is
   * not null) and graceful shutdown.
   */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl) {
    return builder(serviceName).version(version).redisUrl(redisUrl).build();
  }

  /** As {@link #createServiceWithFullMetrics(String, String, String)}, with the application's routes. */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl,
      Consumer<JavalinConfig> routes) {
    return builder(serviceName).version(version).redisUrl(redisUrl).configure(routes).build();
  }

  /** As above; the routes also get the service's collector, for business metrics. */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl,
      BiConsumer<JavalinConfig, MetricsCollector> routes) {
    return builder(serviceName).version(version).redisUrl(redisUrl).configure(routes).build();
  }

  /** The collector of an app built here. */
  public static MetricsCollector collector(Javalin app) {
    return app.unsafe.appDataManager.get(COLLECTOR);
  }

  /** The installed chain of an app built here. */
  public static HttpMiddleware middleware(Javalin app) {
    return app.unsafe.appDataManager.get(MIDDLEWARE);
  }

  /** Builds the turnkey app. */
  public static final class Builder {
    private final String serviceName;
    private String version = "unknown";
    private String redisUrl;
    private MetricsCollector collector;
    private Consumer<MiddlewareOptions.Builder> options = b -> { };
    private final List<BiConsumer<JavalinConfig, MetricsCollector>> configurers = new ArrayList<>();
    private final Map<String, HealthCheck> dependencies = new LinkedHashMap<>();
    private ServerLimits limits = ServerLimits.defaults();
    private Duration checkTimeout = Duration.ofSeconds(1);
    private boolean stopOnJvmShutdown = true;

    private Builder(String serviceName) {
      if (serviceName == null || serviceName.isBlank()) {
        throw new IllegalArgumentException("service name must not be blank");
      }
      this.serviceName = serviceName;
    }

    public Builder version(String version) {
      this.version = version == null ? "unknown" : version;
      return this;
    }

    /** Redis to check for readiness ({@code null}: the collector's {@code REDIS_URL}, if any). */
    public Builder redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    /** An existing collector (default: {@code Metrics.initialize(serviceName, version)}). */
    public Builder collector(MetricsCollector collector) {
      this.collector = collector;
      return this;
    }

    /** Adjusts the middleware options (the collector is set by the builder). */
    public Builder options(Consumer<MiddlewareOptions.Builder> options) {
      this.options = Objects.requireNonNull(options);
      return this;
    }

    /** The application's routes and settings. */
    public Builder configure(Consumer<JavalinConfig> config) {
      Objects.requireNonNull(config);
      configurers.add((c, m) -> config.accept(c));
      return this;
    }

    /** The application's routes and settings, with the service's collector. */
    public Builder configure(BiConsumer<JavalinConfig, MetricsCollector> config) {
      configurers.add(Objects.requireNonNull(config));
      return this;
    }

    /** A dependency checked by {@code /health/ready}. */
    public Builder dependency(String name, HealthCheck check) {
      dependencies.put(Objects.requireNonNull(name), Objects.requireNonNull(check));
      return this;
    }

    /** How long {@code stop()} waits for in-flight requests (default 10 s); the same as {@code serverLimits}' grace. */
    public Builder shutdownTimeout(Duration timeout) {
      this.limits = limits.toBuilder().shutdownGrace(timeout).build();
      return this;
    }

    /** Idle timeout, minimum data rates, eagerly read body size and shutdown grace (default {@link ServerLimits#defaults()}). */
    public Builder serverLimits(ServerLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** The timeout of each dependency check (default 1 s). */
    public Builder checkTimeout(Duration timeout) {
      this.checkTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /** Whether a JVM shutdown hook stops the app gracefully (default true). */
    public Builder stopOnJvmShutdown(boolean on) {
      this.stopOnJvmShutdown = on;
      return this;
    }

    public Javalin build() {
      MetricsCollector metrics = collector != null ? collector : Metrics.initialize(serviceName, version);
      String redis = redisUrl != null ? redisUrl : metrics.config().redisUrl().orElse(null);
      Map<String, HealthCheck> checks = new LinkedHashMap<>();
      if (redis != null) {
        checks.put("redis", new RedisHealthCheck(redis, checkTimeout, metrics));
      }
      checks.putAll(dependencies);
      MiddlewareOptions.Builder ob = MiddlewareOptions.builder().metricsCollector(metrics);
      options.accept(ob);
      MiddlewareOptions middlewareOptions = ob.metricsCollector(metrics).build();
      HealthReport health = new HealthReport(metrics, checks);
      Javalin app = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.appData(COLLECTOR, metrics);
        // the service's own endpoints are answered by the plugin's Jetty handler, ahead of Javalin's router:
        // as routes ahead of the application's, each cost every request a regex; and no route can shadow them
        JavalinMetricsPlugin plugin = new JavalinMetricsPlugin(cfg -> {
          cfg.options(middlewareOptions).serverLimits(limits)
              .answer("/health", ServedPaths.readOnly(() -> json(health.live())))
              .answer("/health/live", ServedPaths.readOnly(() -> json(health.live())))
              .answer("/health/ready", ServedPaths.readOnly(() -> json(health.ready())));
          if (middlewareOptions.metricsOnApplicationPort()) {
            MetricsAuth auth = middlewareOptions.metricsAuth();
            ServedPaths.Endpoint summary = ServedPaths.readOnly(
                () -> ServedPaths.Answer.of(200, "application/json", MetricsSummary.jsonBytes(metrics)));
            cfg.answer(middlewareOptions.metricsPath() + "/summary", (method, authorization) ->
                auth.permits(authorization) ? summary.answer(method, authorization)
                    : ServedPaths.Answer.of(401, "text/plain; charset=utf-8", UNAUTHORIZED)
                        .withHeader("WWW-Authenticate", auth.challenge()));
          }
        });
        config.registerPlugin(plugin);
        config.appData(MIDDLEWARE, plugin.middleware());
        for (BiConsumer<JavalinConfig, MetricsCollector> c : configurers) {
          c.accept(config, metrics);
        }
      });
      if (stopOnJvmShutdown) {
        Thread hook = new Thread(app::stop, serviceName + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.unsafe.events.serverStopped(() -> {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hooks
          }
        });
      }
      return app;
    }
  }

  private static final byte[] UNAUTHORIZED = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);

  private static ServedPaths.Answer json(HealthReport.Reply reply) {
    return ServedPaths.Answer.of(reply.status(), "application/json", reply.body());
  }

}
