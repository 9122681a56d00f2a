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
 * MetricsCollector custom = Metrics.builder()
 *     .serviceName("my-service").jvmMetrics(false).seriesBudget(5_000)
 *     .initialize();
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

  /** A builder that starts from the process environment. */
  public static Builder builder() {
    return new Builder(System.getenv());
  }

  /** A builder that starts from the given environment (for tests and launchers). */
  public static Builder builder(Map<String, String> environment) {
    return new Builder(environment);
  }

  /** {@link MetricsConfig.Builder} plus {@link #initialize()}. */
  public static final class Builder {
    private final MetricsConfig.Builder config;
    private PrometheusRegistry registry;

    private Builder(Map<String, String> environment) {
      this.config = MetricsConfig.builder().environment(environment);
    }

    public Builder serviceName(String name) {
      config.serviceName(name);
      return this;
    }

    public Builder version(String version) {
      config.version(version);
      return this;
    }

    public Builder enabled(boolean on) {
      config.enabled(on);
      return this;
    }

    public Builder jvmMetrics(boolean on) {
      config.jvmMetrics(on);
      return this;
    }

    public Builder nativeHistograms(boolean on) {
      config.nativeHistograms(on);
      return this;
    }

    public Builder versionOnEverySeries(boolean on) {
      config.versionOnEverySeries(on);
      return this;
    }

    public Builder seriesBudget(int budget) {
      config.seriesBudget(budget);
      return this;
    }

    public Builder seriesBudget(String family, int budget) {
      config.seriesBudget(family, budget);
      return this;
    }

    public Builder buckets(String family, double... upperBounds) {
      config.buckets(family, upperBounds);
      return this;
    }

    public Builder labelValueMaxLength(int chars) {
      config.labelValueMaxLength(chars);
      return this;
    }

    public Builder info(String label, String value) {
      config.info(label, value);
      return this;
    }

    /** Declares service roles; see {@link MetricsConfig.Builder#roles}. */
    public Builder roles(io.pyairtable.metrics.catalog.MetricGroup... groups) {
      config.roles(groups);
      return this;
    }

    public Builder redisUrl(String url) {
      config.redisUrl(url);
      return this;
    }

    public Builder endpoint(String path) {
      config.endpoint(path);
      return this;
    }

    /** Registers into {@code registry} instead of a new one (for example {@code PrometheusRegistry.defaultRegistry}). */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** The configuration built so far. */
    public MetricsConfig config() {
      return config.build();
    }

    public MetricsCollector initialize() {
      return new MetricsCollector(config.build(), registry == null ? new PrometheusRegistry() : registry);
    }
  }
}
