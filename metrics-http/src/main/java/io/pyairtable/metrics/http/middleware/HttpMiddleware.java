package io.pyairtable.metrics.http.middleware;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.jdk.ManagementServer;
import java.util.Optional;

/**
 * The chain as an installer sets it up: one {@link RequestChain}, the metrics endpoint (when
 * metrics are on), and the management server when a separate port was asked for. The adapters
 * ({@code MetricsServletFilter}, {@code MetricsHttpFilter}, the Javalin plugin) run
 * {@link #requestChain()}; {@link #close()} stops the management server.
 *
 * <pre>{@code
 * HttpMiddleware middleware = HttpMiddleware.create(MiddlewareOptions.of(collector));
 * context.getFilters().add(new MetricsHttpFilter(middleware.requestChain()));
 * middleware.startManagementServer();
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

  /** The framework-neutral core the adapters run. */
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

  /**
   * The endpoint the application's server should serve at {@link MiddlewareOptions#metricsPath()}:
   * present when metrics are on, the endpoint is exposed and no management port is set.
   */
  public Optional<MetricsEndpoint> applicationPortEndpoint() {
    return endpoint != null && options.metricsOnApplicationPort() ? Optional.of(endpoint) : Optional.empty();
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

  /** Stops the management server, if one runs. */
  @Override
  public synchronized void close() {
    if (management != null) {
      management.close();
      management = null;
    }
  }
}
