package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * Entry point: one line gives a service its {@link MetricsCollector}. Each collector gets a
 * registry of its own unless you pass one, so collectors never overwrite each other. The
 * environment ({@code SERVICE_NAME}, {@code METRICS_ENABLED}, ... see {@link MetricsConfig}) is
 * read first; arguments given in code win.
 *
 * <pre>{@code
 * MetricsCollector metrics = Metrics.initialize("my-service", "1.0.0");
 * MetricsCollector fromEnv = Metrics.initialize();           // SERVICE_NAME, SERVICE_VERSION, ...
 * MetricsCollector custom = Metrics.builder()              // environment read, then these settings
 *     .serviceName("my-service").jvmMetrics(false).seriesBudget(5_000)
 *     .initialize();                                       // or .initialize(PrometheusRegistry.defaultRegistry)
 * MetricsCollector explicit = Metrics.initialize(MetricsConfig.builder().serviceName("my-service").build());
 * }</pre>
 */
public final class Metrics {

  private Metrics() {}

  /** A collector for {@code serviceName} and {@code version}, other settings from the environment. */
  public static MetricsCollector initialize(String serviceName, String version) {
    return builder().serviceName(serviceName).version(version).initialize();
  }

  /** A collector for {@code serviceName}, other settings from the environment. */
  public static MetricsCollector initialize(String serviceName) {
    return builder().serviceName(serviceName).initialize();
  }

  /** A collector configured entirely from the environment ({@code SERVICE_NAME} required). */
  public static MetricsCollector initialize() {
    return builder().initialize();
  }

  /** A collector for an explicit configuration (the environment is not read). */
  public static MetricsCollector initialize(MetricsConfig config) {
    return new MetricsCollector(config, new PrometheusRegistry());
  }

  /** A collector for an explicit configuration, in a registry you own (for example the default one). */
  public static MetricsCollector initialize(MetricsConfig config, PrometheusRegistry registry) {
    return new MetricsCollector(config, registry);
  }

  /**
   * A builder that starts from the process environment; finish it with {@link Builder#initialize()}
   * (or {@code initialize(registry)}) for a collector, or {@code build()} for the configuration.
   */
  public static Builder builder() {
    return builder(System.getenv());
  }

  /** As {@link #builder()}, starting from the given environment (for tests and launchers). */
  public static Builder builder(Map<String, String> environment) {
    return new Builder().environment(environment);
  }

  /**
   * The settings of {@link MetricsSettings} (the same setters as {@link MetricsConfig.Builder}),
   * finished with a collector.
   *
   * <pre>{@code
   * MetricsCollector metrics = Metrics.builder().serviceName("llm-orchestrator").jvmMetrics(false).initialize();
   * }</pre>
   */
  public static final class Builder extends MetricsSettings<Builder> {

    private Builder() {}

    /** The configuration these settings describe. */
    public MetricsConfig build() {
      return new MetricsConfig(this);
    }

    /** A collector with these settings and a registry of its own: {@code Metrics.initialize(build())}. */
    public MetricsCollector initialize() {
      return Metrics.initialize(build());
    }

    /** A collector with these settings in {@code registry} (for example {@code PrometheusRegistry.defaultRegistry}). */
    public MetricsCollector initialize(PrometheusRegistry registry) {
      return Metrics.initialize(build(), registry);
    }
  }
}
