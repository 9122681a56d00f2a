package io.pyairtable.metrics.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jdk.MetricsHttpFilter;
import io.pyairtable.metrics.http.jdk.MetricsHttpHandler;
import io.pyairtable.metrics.http.middleware.HttpMiddleware;
import io.pyairtable.metrics.http.servlet.MetricsEndpointServlet;
import io.pyairtable.metrics.http.servlet.MetricsServletFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;

/**
 * The entry point of {@code pyairtable-metrics-http} (the README's {@code setupMiddleware} and
 * {@code createMetricsEndpoint}) for the two servers this artifact supports: any Jakarta Servlet
 * 6 container (Tomcat, Jetty, Undertow...) and the JDK {@code HttpServer}. Javalin and the
 * turnkey service are in {@code pyairtable-metrics-http-javalin} ({@code JavalinMetricsPlugin},
 * {@code FullMetricsService}); Spring Boot has its starter.
 *
 * <pre>{@code
 * MetricsCollector metrics = Metrics.initialize("my-service", "1.0.0");
 *
 * // Servlet: while the context initialises (a ServletContainerInitializer or ServletContextListener)
 * HttpMetrics.setupMiddleware(servletContext, MiddlewareOptions.of(metrics));   // filter on /*, servlet at /metrics
 *
 * // JDK HttpServer: filters are per context
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8000), 0);
 * HttpContext api = server.createContext("/", handler);
 * HttpMetrics.setupMiddleware(server, MiddlewareOptions.of(metrics), api);
 * }</pre>
 */
public final class HttpMetrics {

  /** The name the filter and the metrics servlet are registered under. */
  public static final String REGISTRATION_NAME = "pyairtable-metrics";

  private HttpMetrics() {}

  // --- Jakarta Servlet ----------------------------------------------------------------------------

  /**
   * Installs the chain as a filter on every request of a servlet context that is being
   * initialised, and the metrics endpoint as a servlet at {@code options.metricsPath()} (or on the
   * management port, started here).
   */
  public static HttpMiddleware setupMiddleware(ServletContext context, MiddlewareOptions options) {
    HttpMiddleware middleware = HttpMiddleware.create(options);
    FilterRegistration.Dynamic filter =
        context.addFilter(REGISTRATION_NAME, new MetricsServletFilter(middleware.requestChain(), false));
    filter.setAsyncSupported(true);
    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    middleware.applicationPortEndpoint().ifPresent(endpoint ->
        context.addServlet(REGISTRATION_NAME + "-endpoint", new MetricsEndpointServlet(endpoint))
            .addMapping(options.metricsPath()));
    middleware.startManagementServer();
    return middleware;
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path in a servlet context being initialised. */
  public static MetricsEndpoint createMetricsEndpoint(ServletContext context, MetricsCollector collector) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, MetricsAuth.none());
    context.addServlet(REGISTRATION_NAME + "-endpoint", new MetricsEndpointServlet(endpoint))
        .addMapping(collector.config().endpoint());
    return endpoint;
  }

  // --- JDK HttpServer -----------------------------------------------------------------------------

  /**
   * Installs the chain on the given contexts of a JDK {@code HttpServer} (filters are per context)
   * and serves the metrics endpoint on {@code server} (or on the management port, started here).
   */
  public static HttpMiddleware setupMiddleware(HttpServer server, MiddlewareOptions options, HttpContext... contexts) {
    HttpMiddleware middleware = HttpMiddleware.create(options);
    for (HttpContext context : contexts) {
      context.getFilters().add(new MetricsHttpFilter(middleware.requestChain()));
    }
    middleware.applicationPortEndpoint().ifPresent(endpoint ->
        server.createContext(options.metricsPath(), new MetricsHttpHandler(endpoint)));
    middleware.startManagementServer();
    return middleware;
  }

  /** Serves {@code collector} at its {@code METRICS_ENDPOINT} path on a JDK {@code HttpServer}. */
  public static MetricsEndpoint createMetricsEndpoint(HttpServer server, MetricsCollector collector) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, MetricsAuth.none());
    server.createContext(collector.config().endpoint(), new MetricsHttpHandler(endpoint));
    return endpoint;
  }
}
