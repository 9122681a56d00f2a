package io.pyairtable.metrics.http.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.http.Context;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.HttpMiddleware;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jetty.JettyHardening;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The turnkey service behind {@code createServiceWithFullMetrics}: a Javalin app (not started)
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
  private static final JsonFactory JSON = new JsonFactory();

  private FullMetricsService() {}

  /** A builder for a service named {@code serviceName}. */
  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
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
      Health health = new Health(metrics, checks);
      Javalin app = Javalin.create(config -> {
        config.startup.showJavalinBanner = false;
        config.appData(COLLECTOR, metrics);
        HttpMiddleware middleware = HttpMetrics.setupMiddleware(config, middlewareOptions);
        config.appData(MIDDLEWARE, middleware);
        JettyHardening.install(config, limits, middleware.requestChain());
        config.routes.get("/health", health::live);
        config.routes.get("/health/live", health::live);
        config.routes.get("/health/ready", health::ready);
        if (middleware.servesMetricsOnApplicationPort()) {
          String summaryPath = middlewareOptions.metricsPath() + "/summary";
          io.javalin.http.Handler summary = ctx -> {
            if (!middlewareOptions.metricsAuth().permits(ctx.header("Authorization"))) {
              ctx.header("WWW-Authenticate", middlewareOptions.metricsAuth().challenge()).status(401)
                  .result("Unauthorized\n");
              return;
            }
            if (ctx.method() == io.javalin.http.HandlerType.OPTIONS) {
              ctx.header("Allow", "GET, HEAD").status(204);
              return;
            }
            ctx.contentType("application/json").result(MetricsSummary.jsonBytes(metrics));
          };
          config.routes.get(summaryPath, summary);
          config.routes.head(summaryPath, summary);    // the same 401 as GET without credentials
          config.routes.options(summaryPath, summary);
        }
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

  /** The health endpoints. */
  private static final class Health {
    private final MetricsCollector metrics;
    private final Map<String, HealthCheck> checks;

    Health(MetricsCollector metrics, Map<String, HealthCheck> checks) {
      this.metrics = metrics;
      this.checks = checks;
    }

    void live(Context ctx) {
      report(ctx, false);
    }

    void ready(Context ctx) {
      report(ctx, true);
    }

    private void report(Context ctx, boolean readiness) {
      Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
      boolean allUp = true;
      for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
        HealthCheck.Result r;
        try {
          r = e.getValue().check();
        } catch (Exception ex) {
          r = HealthCheck.Result.down(ex.getClass().getSimpleName());
        }
        results.put(e.getKey(), r);
        allUp &= r.healthy();
      }
      String status = allUp ? "ok" : readiness ? "unavailable" : "degraded";
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      try (JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("status", status);
        g.writeStringField("service", metrics.serviceName());
        g.writeStringField("version", metrics.version());
        g.writeObjectFieldStart("checks");
        for (Map.Entry<String, HealthCheck.Result> e : results.entrySet()) {
          g.writeObjectFieldStart(e.getKey());
          g.writeStringField("status", e.getValue().healthy() ? "up" : "down");
          if (e.getValue().detail() != null) {
            g.writeStringField("detail", e.getValue().detail());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx.status(readiness && !allUp ? 503 : 200).contentType("application/json").result(out.toByteArray());
    }
  }
}
