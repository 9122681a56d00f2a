package io.pyairtable.metrics;

import io.pyairtable.metrics.catalog.MetricGroup;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a {@link MetricsCollector}: built in code, read from the environment, or both
 * (environment first, then code overrides). Every setting has a default, so only the service name
 * is needed. See {@link #fromEnvironment(Map)} for the variables read.
 *
 * <pre>{@code
 * MetricsConfig config = MetricsConfig.builder()
 *     .environment(System.getenv())          // SERVICE_NAME, METRICS_ENABLED, ...
 *     .serviceName("airtable-gateway")
 *     .seriesBudget("http_requests_total", 5_000)
 *     .build();
 * }</pre>
 */
public final class MetricsConfig {

  /** Default series budget of each labelled family. */
  public static final int DEFAULT_SERIES_BUDGET = MetricsSettings.DEFAULT_SERIES_BUDGET;

  /** Default path of the metrics endpoint. */
  public static final String DEFAULT_ENDPOINT = MetricsSettings.DEFAULT_ENDPOINT;

  /** The groups a service can declare as its roles ({@link MetricGroup#serviceRole()}). */
  public static final Set<MetricGroup> ROLES = MetricsSettings.ROLES;

  private final String serviceName;
  private final String version;
  private final boolean enabled;
  private final String endpoint;
  private final String redisUrl;
  private final boolean jvmMetrics;
  private final boolean nativeHistograms;
  private final boolean versionOnEverySeries;
  private final int defaultSeriesBudget;
  private final Map<String, Integer> seriesBudgets;
  private final Map<String, double[]> buckets;
  private final int labelValueMaxLength;
  private final Map<String, String> info;
  private final Set<MetricGroup> roles;

  MetricsConfig(MetricsSettings<?> b) {
    if (b.serviceName == null) {
      throw new IllegalArgumentException("service name is required: pass it to Metrics.initialize or set SERVICE_NAME");
    }
    this.serviceName = b.serviceName;
    this.version = b.version;
    this.enabled = b.enabled;
    this.endpoint = b.endpoint;
    this.redisUrl = b.redisUrl;
    this.jvmMetrics = b.jvmMetrics;
    this.nativeHistograms = b.nativeHistograms;
    this.versionOnEverySeries = b.versionOnEverySeries;
    this.defaultSeriesBudget = b.defaultSeriesBudget;
    this.seriesBudgets = Collections.unmodifiableMap(new LinkedHashMap<>(b.seriesBudgets));
    this.buckets = Collections.unmodifiableMap(new LinkedHashMap<>(b.buckets));
    this.labelValueMaxLength = b.labelValueMaxLength;
    this.info = Collections.unmodifiableMap(new LinkedHashMap<>(b.info));
    this.roles = Collections.unmodifiableSet(EnumSet.copyOf(b.roles));
  }

  /** A builder with every default set and no service name. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The settings read from {@code env}; fails naming the first variable with an invalid value.
   *
   * <table>
   *   <caption>Variables</caption>
   *   <tr><td>SERVICE_NAME</td><td>service label, 1-64 of [A-Za-z0-9_.-] (required here)</td></tr>
   *   <tr><td>SERVICE_VERSION</td><td>version on service_info (default {@code unknown})</td></tr>
   *   <tr><td>METRICS_ENABLED</td><td>true/false: false makes every record call a no-op</td></tr>
   *   <tr><td>METRICS_ENDPOINT</td><td>path of the metrics endpoint (default /metrics)</td></tr>
   *   <tr><td>REDIS_URL</td><td>redis:// or rediss:// URL used by the integrations</td></tr>
   *   <tr><td>METRICS_JVM_ENABLED</td><td>true/false: client_java's JVM metrics (default true)</td></tr>
   *   <tr><td>METRICS_NATIVE_HISTOGRAMS</td><td>true/false: also keep native histograms</td></tr>
   *   <tr><td>METRICS_VERSION_LABEL</td><td>true/false: add version to every series (default false)</td></tr>
   *   <tr><td>METRICS_SERIES_BUDGET</td><td>series budget per family (default 1000)</td></tr>
   *   <tr><td>METRICS_LABEL_MAX_LENGTH</td><td>longest label value kept (default 128)</td></tr>
   *   <tr><td>METRICS_SERVICE_ROLES</td><td>comma list of airtable_gateway, mcp_server, llm_orchestrator,
   *       api_gateway: groups exposed from the start (default none)</td></tr>
   * </table>
   */
  public static MetricsConfig fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  public String serviceName() {
    return serviceName;
  }

  public String version() {
    return version;
  }

  public boolean enabled() {
    return enabled;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The Redis URL, if one is configured. */
  public Optional<String> redisUrl() {
    return Optional.ofNullable(redisUrl);
  }

  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  public boolean nativeHistograms() {
    return nativeHistograms;
  }

  public boolean versionOnEverySeries() {
    return versionOnEverySeries;
  }

  /** The series budget of a family: its own setting, or the default. */
  public int seriesBudget(String family) {
    return seriesBudgets.getOrDefault(family, defaultSeriesBudget);
  }

  /** Bucket upper bounds configured for a family, if they replace the catalogue defaults. */
  public Optional<double[]> buckets(String family) {
    double[] b = buckets.get(family);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  public int labelValueMaxLength() {
    return labelValueMaxLength;
  }

  /** Extra labels of {@code service_info} besides {@code version}. */
  public Map<String, String> info() {
    return info;
  }

  /**
   * The service-role groups exposed from the start. A collector exposes the families of a role
   * group ({@link MetricGroup#serviceRole()}) only once the role is declared or the service first
   * records into the group; every other group is exposed by every service.
   */
  public Set<MetricGroup> roles() {
    return roles;
  }

  /**
   * Settings for a {@link MetricsConfig}, finished with {@link #build()}. For a collector in one
   * chain, {@link Metrics#builder()} returns a builder with the same setters that also has
   * {@code initialize()}.
   */
  public static final class Builder extends MetricsSettings<Builder> {

    private Builder() {}

    public MetricsConfig build() {
      return new MetricsConfig(this);
    }
  }
}
