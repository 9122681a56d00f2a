package io.pyairtable.metrics.http;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.jdk.ManagementServer;
import io.pyairtable.metrics.http.jdk.MetricsHttpFilter;
import io.pyairtable.metrics.http.jdk.MetricsHttpHandler;
import io.pyairtable.metrics.http.servlet.MetricsEndpointServlet;
import io.pyairtable.metrics.http.servlet.MetricsServletFilter;
import java.util.Optional;

/**
 * The chain as installed by {@code setupMiddleware(...)}: one {@link RequestChain} core, the
 * metrics endpoint (when metrics are on), and the management server when a separate port was
 * asked for. Gives the adapters for each server type; {@link #close()} stops the management server.
 *
 * <pre>{@code
 * HttpMiddleware middleware = HttpMiddleware.create(MiddlewareOptions.of(collector));
 * context.getFilters().add(middleware.jdkFilter());
 * server.createContext("/metrics", middleware.jdkMetricsHandler());
 * }</pre>
 */
public final class HttpMiddleware implements AutoCloseable {

  private final MiddlewareOptions options;
  private final RequestChain chain;
  private final MetricsEndpoint endpoint;
  private volatile ManagementServer management;

  private HttpMiddleware(MiddlewareOptions options) {
    this.options = options;
    this.chain = new RequestChain(options);
    this.endpoint = options.enableMetrics()
        ? new MetricsEndpoint(options.metricsCollector().orElseThrow(), options.metricsAuth()) : null;
  }

  /** The chain for {@code options}; the management server, if asked for, starts with {@link #startManagementServer()}. */
  public static HttpMiddleware create(MiddlewareOptions options) {
    return new HttpMiddleware(options);
  }

  public MiddlewareOptions options() {
    return options;
  }

  /** The framework-neutral core. */
  public RequestChain requestChain() {
    return chain;
  }

  /** The collector, if metrics are on. */
  public Optional<MetricsCollector> collector() {
    return options.enableMetrics() ? options.metricsCollector() : Optional.empty();
  }

  /** The metrics endpoint, if metrics are on. */
  public Optional<MetricsEndpoint> metricsEndpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** Whether the application's server should serve the metrics endpoint itself (metrics on, no management port). */
  public boolean servesMetricsOnApplicationPort() {
    return endpoint != null && options.exposeMetricsEndpoint() && options.managementPort().isEmpty();
  }

  /** A Jakarta Servlet filter running this chain. */
  public MetricsServletFilter servletFilter() {
    return new MetricsServletFilter(chain, false);
  }

  /** A JDK {@code HttpServer} filter running this chain. */
  public MetricsHttpFilter jdkFilter() {
    return new MetricsHttpFilter(chain);
  }

  /** The metrics endpoint as a servlet. */
  public MetricsEndpointServlet metricsServlet() {
    return new MetricsEndpointServlet(requireEndpoint());
  }

  /** The metrics endpoint as a JDK handler. */
  public MetricsHttpHandler jdkMetricsHandler() {
    return new MetricsHttpHandler(requireEndpoint());
  }

  /** Starts the management server if a management port is set and it is not running; idempotent. */
  public synchronized Optional<ManagementServer> startManagementServer() {
    if (management == null && endpoint != null && options.managementPort().isPresent()) {
      management = ManagementServer.start(endpoint, options.metricsPath(), options.managementAddress(),
          options.managementPort().get());
    }
    return Optional.ofNullable(management);
  }

  /** The running management server, if any. */
  public Optional<ManagementServer> managementServer() {
    return Optional.ofNullable(management);
  }

  private MetricsEndpoint requireEndpoint() {
    if (endpoint == null) {
      throw new IllegalStateException("metrics are off or no metricsCollector was given");
    }
    return endpoint;
  }

  /** Stops the management server, if one runs. */
  @Override
  public synchronized void close() {
    if (management != null) {
      management.close();
      management = null;
    }
  }
}
