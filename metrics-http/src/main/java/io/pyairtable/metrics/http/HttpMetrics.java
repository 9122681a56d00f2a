package io.pyairtable.metrics.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.javalin.JavalinMetricsPlugin;
import io.pyairtable.metrics.http.service.FullMetricsService;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The README's entry points: {@code setupMiddleware(...)} for Javalin, a Jetty/Jakarta servlet
 * context and the JDK {@code HttpServer}; {@code createMetricsEndpoint(...)} alone; and
 * {@code createServiceWithFullMetrics(...)}, a Javalin app with everything plus {@code /health}
 * and {@code /metrics/summary}. In Javalin 7 routes and plugins are configured inside
 * {@code Javalin.create(config -> ...)}, so the Javalin overloads take the {@link JavalinConfig}.
 *
 * <pre>{@code
 * MetricsCollector metrics = Metrics.initialize("my-service", "1.0.0");
 * Javalin app = Javalin.create(config -> {
 *   HttpMetrics.setupMiddleware(config, MiddlewareOptions.builder()
 *       .enableCorrelationId(true).enableRequestLogging(true)
 *       .enableErrorHandling(true).enableMetrics(true)
 *       .metricsCollector(metrics).build());
 *   config.routes.get("/items/{id}", ctx -> ctx.result("item"));
 * }).start(8000);
 *
 * Javalin service = HttpMetrics.createServiceWithFullMetrics("my-service", "1.0.0", "redis://localhost:6379",
 *     config -> config.routes.get("/hello", ctx -> ctx.result("hi")));
 * service.start(8000);
 * }</pre>
 */
public final class HttpMetrics {

  private HttpMetrics() {}

  // --- Javalin ------------------------------------------------------------------------------------

  /** Installs the chain (and, with metrics on, the metrics endpoint) in a Javalin app being configured. */
  public static HttpMiddleware setupMiddleware(JavalinConfig config, MiddlewareOptions options) {
    JavalinMetricsPlugin plugin = new JavalinMetricsPlugin(options);
    config.registerPlugin(plugin);
    return plugin.middleware();
  }

  /** Installs the full chain with default options recording into {@code collector}. */
  public static HttpMiddleware setupMiddleware(JavalinConfig config, MetricsCollector collector) {
    return setupMiddleware(config, MiddlewareOptions.of(collector));
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path (default {@code /metrics}), unprotected. */
  public static MetricsEndpoint createMetricsEndpoint(JavalinConfig config, MetricsCollector collector) {
    return createMetricsEndpoint(config, collector, MetricsAuth.none());
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path, protected by {@code auth}. */
  public static MetricsEndpoint createMetricsEndpoint(JavalinConfig config, MetricsCollector collector,
      MetricsAuth auth) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, auth);
    config.routes.get(collector.config().endpoint(),
        ctx -> endpoint.handle(new HttpExchangeAdapter(ctx.req(), ctx.res()), ctx.header("Authorization")));
    return endpoint;
  }

  // --- Jakarta Servlet (Jetty) --------------------------------------------------------------------

  /**
   * Installs the chain as a filter on every request of a Jetty servlet context, and the metrics
   * endpoint as a servlet (or on the management port). For other containers use
   * {@link HttpMiddleware#servletFilter()} with their filter registration.
   */
  public static HttpMiddleware setupMiddleware(ServletContextHandler context, MiddlewareOptions options) {
    HttpMiddleware middleware = HttpMiddleware.create(options);
    context.addFilter(new FilterHolder(middleware.servletFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    if (middleware.servesMetricsOnApplicationPort()) {
      context.addServlet(new ServletHolder(middleware.metricsServlet()), options.metricsPath());
    }
    middleware.startManagementServer();
    return middleware;
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path in a Jetty servlet context. */
  public static MetricsEndpoint createMetricsEndpoint(ServletContextHandler context, MetricsCollector collector) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, MetricsAuth.none());
    context.addServlet(new ServletHolder(new io.pyairtable.metrics.http.servlet.MetricsEndpointServlet(endpoint)),
        collector.config().endpoint());
    return endpoint;
  }

  // --- JDK HttpServer -----------------------------------------------------------------------------

  /**
   * Installs the chain on the given contexts of a JDK {@code HttpServer} (filters are per context)
   * and serves the metrics endpoint on {@code server} (or on the management port).
   */
  public static HttpMiddleware setupMiddleware(HttpServer server, MiddlewareOptions options, HttpContext... contexts) {
    HttpMiddleware middleware = HttpMiddleware.create(options);
    for (HttpContext context : contexts) {
      context.getFilters().add(middleware.jdkFilter());
    }
    if (middleware.servesMetricsOnApplicationPort()) {
      server.createContext(options.metricsPath(), middleware.jdkMetricsHandler());
    }
    middleware.startManagementServer();
    return middleware;
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path on a JDK {@code HttpServer}. */
  public static MetricsEndpoint createMetricsEndpoint(HttpServer server, MetricsCollector collector) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, MetricsAuth.none());
    server.createContext(collector.config().endpoint(), new io.pyairtable.metrics.http.jdk.MetricsHttpHandler(endpoint));
    return endpoint;
  }

  // --- turnkey service ----------------------------------------------------------------------------

  /**
   * A Javalin app (not started) with the full chain, {@code /metrics}, {@code /metrics/summary},
   * {@code /health} (liveness), {@code /health/live} and {@code /health/ready} (readiness: Redis
   * PING when {@code redisUrl} is not null) and graceful shutdown.
   */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl) {
    return FullMetricsService.builder(serviceName).version(version).redisUrl(redisUrl).build();
  }

  /** As {@link #createServiceWithFullMetrics(String, String, String)}, with the application's routes. */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl,
      Consumer<JavalinConfig> routes) {
    return FullMetricsService.builder(serviceName).version(version).redisUrl(redisUrl).configure(routes).build();
  }

  /** As above; the routes also get the service's collector, for business metrics. */
  public static Javalin createServiceWithFullMetrics(String serviceName, String version, String redisUrl,
      BiConsumer<JavalinConfig, MetricsCollector> routes) {
    return FullMetricsService.builder(serviceName).version(version).redisUrl(redisUrl).configure(routes).build();
  }

  /** The collector of an app built by {@code createServiceWithFullMetrics}. */
  public static MetricsCollector collector(Javalin app) {
    return FullMetricsService.collector(app);
  }
}
