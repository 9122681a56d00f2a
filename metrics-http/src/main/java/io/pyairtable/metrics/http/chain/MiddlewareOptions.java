package io.pyairtable.metrics.http.chain;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.MetricsConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code setupMiddleware(...)} installs: each part of the chain (correlation id, metrics,
 * request logging, error handling) can be switched off; the collector, the correlation header,
 * the paths left out of metrics and logs, the error mappings, the endpoint normalizer, the
 * protection of {@code /metrics} and an optional separate management port.
 *
 * <pre>{@code
 * MiddlewareOptions options = MiddlewareOptions.builder()
 *     .metricsCollector(Metrics.initialize("my-service", "1.0.0"))
 *     .correlationHeader("X-Request-ID")
 *     .excludedPaths("/metrics", "/health", "/ready")
 *     .metricsAuth(MetricsAuth.bearer(System.getenv("METRICS_TOKEN")))
 *     .build();
 * }</pre>
 */
public final class MiddlewareOptions {

  /** The default correlation header. */
  public static final String DEFAULT_CORRELATION_HEADER = "X-Request-ID";

  /** The default paths left out of metrics and the access log (each with its sub-paths). */
  public static final List<String> DEFAULT_EXCLUDED_PATHS = List.of("/metrics", "/health");

  private final boolean correlationId;
  private final boolean requestLogging;
  private final boolean errorHandling;
  private final boolean metrics;
  private final MetricsCollector collector;
  private final String correlationHeader;
  private final List<String> excludedPaths;
  private final ErrorMappings errorMappings;
  private final PathNormalizer pathNormalizer;
  private final List<String> routeTemplates;
  private final MetricsAuth metricsAuth;
  private final String metricsPath;
  private final boolean exposeMetricsEndpoint;
  private final Integer managementPort;
  private final InetAddress managementAddress;
  private final boolean trustForwardedFor;
  private final AccessLogSink accessLog;

  private MiddlewareOptions(Builder b) {
    this.correlationId = b.correlationId;
    this.requestLogging = b.requestLogging;
    this.errorHandling = b.errorHandling;
    this.metrics = b.metrics;
    this.collector = b.collector;
    this.correlationHeader = b.correlationHeader;
    this.excludedPaths = List.copyOf(b.excludedPaths);
    this.errorMappings = b.errorMappings;
    this.pathNormalizer = b.pathNormalizer;
    this.routeTemplates = List.copyOf(b.routeTemplates);
    this.metricsAuth = b.metricsAuth;
    this.metricsPath = b.metricsPath != null ? b.metricsPath
        : collector != null ? collector.config().endpoint() : MetricsConfig.DEFAULT_ENDPOINT;
    this.exposeMetricsEndpoint = b.exposeMetricsEndpoint;
    this.managementPort = b.managementPort;
    this.managementAddress = b.managementAddress;
    this.trustForwardedFor = b.trustForwardedFor;
    this.accessLog = b.accessLog;
  }

  /** A builder with the defaults: every part on, {@code X-Request-ID}, {@code /metrics} and {@code /health} excluded. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults with {@code collector} recording the metrics. */
  public static MiddlewareOptions of(MetricsCollector collector) {
    return builder().metricsCollector(collector).build();
  }

  public boolean enableCorrelationId() {
    return correlationId;
  }

  public boolean enableRequestLogging() {
    return requestLogging;
  }

  public boolean enableErrorHandling() {
    return errorHandling;
  }

  /** True when metrics are on and a collector is set. */
  public boolean enableMetrics() {
    return metrics && collector != null;
  }

  /** The collector, if one was given. */
  public Optional<MetricsCollector> metricsCollector() {
    return Optional.ofNullable(collector);
  }

  public String correlationHeader() {
    return correlationHeader;
  }

  /** Paths left out of metrics and the access log; each also covers its sub-paths. */
  public List<String> excludedPaths() {
    return excludedPaths;
  }

  public ErrorMappings errorMappings() {
    return errorMappings;
  }

  public PathNormalizer pathNormalizer() {
    return pathNormalizer;
  }

  /** Route templates (such as {@code /items/{id}}) matched against paths when the framework names none. */
  public List<String> routeTemplates() {
    return routeTemplates;
  }

  /** The protection of the metrics endpoint. */
  public MetricsAuth metricsAuth() {
    return metricsAuth;
  }

  /** The path of the metrics endpoint (from {@code METRICS_ENDPOINT} through the collector's config by default). */
  public String metricsPath() {
    return metricsPath;
  }

  /** Whether {@code setupMiddleware} also serves the metrics endpoint. */
  public boolean exposeMetricsEndpoint() {
    return exposeMetricsEndpoint;
  }

  /**
   * Whether the application's own server serves the metrics endpoint at {@link #metricsPath()}:
   * metrics on, the endpoint exposed and no management port set.
   */
  public boolean metricsOnApplicationPort() {
    return enableMetrics() && exposeMetricsEndpoint && managementPort == null;
  }

  /** The separate management port the metrics endpoint is served on instead of the application's. */
  public Optional<Integer> managementPort() {
    return Optional.ofNullable(managementPort);
  }

  /** The interface of the management port (loopback by default). */
  public InetAddress managementAddress() {
    return managementAddress;
  }

  /**
   * Whether the client address in the access log is taken from {@code X-Forwarded-For} (its first
   * entry) instead of the connection's peer. Off by default: any client can send that header.
   */
  public boolean trustForwardedFor() {
    return trustForwardedFor;
  }

  /** Where the access log goes: {@link AccessLog#slf4j()} (default) or an {@link AccessLogWriter}. */
  public AccessLogSink accessLog() {
    return accessLog;
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.correlationId = correlationId;
    b.requestLogging = requestLogging;
    b.errorHandling = errorHandling;
    b.metrics = metrics;
    b.collector = collector;
    b.correlationHeader = correlationHeader;
    b.excludedPaths = new ArrayList<>(excludedPaths);
    b.errorMappings = errorMappings;
    b.pathNormalizer = pathNormalizer;
    b.routeTemplates = new ArrayList<>(routeTemplates);
    b.metricsAuth = metricsAuth;
    b.metricsPath = metricsPath;
    b.exposeMetricsEndpoint = exposeMetricsEndpoint;
    b.managementPort = managementPort;
    b.managementAddress = managementAddress;
    b.trustForwardedFor = trustForwardedFor;
    b.accessLog = accessLog;
    return b;
  }

  /** Builds {@link MiddlewareOptions}. */
  public static final class Builder {
    private boolean correlationId = true;
    private boolean requestLogging = true;
    private boolean errorHandling = true;
    private boolean metrics = true;
    private MetricsCollector collector;
    private String correlationHeader = DEFAULT_CORRELATION_HEADER;
    private List<String> excludedPaths = new ArrayList<>(DEFAULT_EXCLUDED_PATHS);
    private ErrorMappings errorMappings = ErrorMappings.defaults();
    private PathNormalizer pathNormalizer = PathNormalizer.defaults();
    private List<String> routeTemplates = new ArrayList<>();
    private MetricsAuth metricsAuth = MetricsAuth.none();
    private String metricsPath;
    private boolean exposeMetricsEndpoint = true;
    private Integer managementPort;
    private InetAddress managementAddress = InetAddress.getLoopbackAddress();
    private boolean trustForwardedFor;
    private AccessLogSink accessLog = AccessLog.slf4j();

    private Builder() {}

    public Builder enableCorrelationId(boolean on) {
      this.correlationId = on;
      return this;
    }

    public Builder enableRequestLogging(boolean on) {
      this.requestLogging = on;
      return this;
    }

    public Builder enableErrorHandling(boolean on) {
      this.errorHandling = on;
      return this;
    }

    public Builder enableMetrics(boolean on) {
      this.metrics = on;
      return this;
    }

    public Builder metricsCollector(MetricsCollector collector) {
      this.collector = collector;
      return this;
    }

    /**
     * The header read and echoed for the correlation id (default {@code X-Request-ID}); a header
     * name, so only RFC 9110 token characters (letters, digits and {@code !#$%&'*+-.^_`|~}).
     */
    public Builder correlationHeader(String header) {
      if (header == null || header.isBlank()) {
        throw new IllegalArgumentException("correlation header must not be blank");
      }
      for (int i = 0; i < header.length(); i++) {
        char c = header.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
          throw new IllegalArgumentException("correlation header must be a header name (RFC 9110 token "
              + "characters), not \"" + header.replace("\r", "\\r").replace("\n", "\\n") + "\"");
        }
      }
      this.correlationHeader = header;
      return this;
    }

    /** Replaces the excluded paths (each also covers its sub-paths). */
    public Builder excludedPaths(String... paths) {
      return excludedPaths(List.of(paths));
    }

    /** Replaces the excluded paths (each also covers its sub-paths). */
    public Builder excludedPaths(List<String> paths) {
      List<String> list = new ArrayList<>();
      for (String p : paths) {
        list.add(ExcludedPaths.normalize(p));
      }
      this.excludedPaths = list;
      return this;
    }

    /** Adds one excluded path to the current list. */
    public Builder excludePath(String path) {
      this.excludedPaths.add(ExcludedPaths.normalize(path));
      return this;
    }

    /** The exception-to-status mappings of the error handler. */
    public Builder errorMappings(ErrorMappings mappings) {
      this.errorMappings = Objects.requireNonNull(mappings, "mappings");
      return this;
    }

    /** How paths without a route template are turned into an endpoint label. */
    public Builder pathNormalizer(PathNormalizer normalizer) {
      this.pathNormalizer = Objects.requireNonNull(normalizer, "normalizer");
      return this;
    }

    /**
     * Route templates ({@code /items/{id}}, {@code /files/*}) for servers that do not name the
     * matched route (servlet containers, the JDK server). With templates set, a path matching
     * none of them is labelled {@link EndpointLabels#UNMATCHED}.
     */
    public Builder routeTemplates(String... templates) {
      this.routeTemplates = new ArrayList<>(List.of(templates));
      return this;
    }

    /** Protection of the metrics endpoint: {@link MetricsAuth#bearer}, {@link MetricsAuth#basic} or none. */
    public Builder metricsAuth(MetricsAuth auth) {
      this.metricsAuth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** The metrics endpoint path (default: the collector's {@code METRICS_ENDPOINT}, else {@code /metrics}). */
    public Builder metricsPath(String path) {
      this.metricsPath = ExcludedPaths.normalize(path);
      return this;
    }

    /** Whether {@code setupMiddleware} serves the metrics endpoint too (default true). */
    public Builder exposeMetricsEndpoint(boolean on) {
      this.exposeMetricsEndpoint = on;
      return this;
    }

    /** Serve the metrics endpoint on its own port (0 picks a free one) instead of the application's. */
    public Builder managementPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("management port must be 0..65535, was " + port);
      }
      this.managementPort = port;
      return this;
    }

    /** The interface the management port binds to (default loopback). */
    public Builder managementAddress(InetAddress address) {
      this.managementAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Take the access log's client address from {@code X-Forwarded-For} (default false: the
     * connection's peer). Turn on only behind a proxy that sets or replaces that header.
     */
    public Builder trustForwardedFor(boolean on) {
      this.trustForwardedFor = on;
      return this;
    }

    /**
     * Where the access log goes (with {@code enableRequestLogging} on): {@link AccessLog#slf4j()},
     * the default, or an {@link AccessLogWriter} writing straight to a file (several times cheaper
     * per request, dropped lines counted in {@code access_log_dropped_lines_total}).
     */
    public Builder accessLog(AccessLogSink sink) {
      this.accessLog = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public MiddlewareOptions build() {
      return new MiddlewareOptions(this);
    }
  }
}
