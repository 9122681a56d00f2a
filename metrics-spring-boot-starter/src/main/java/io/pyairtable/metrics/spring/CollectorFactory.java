package io.pyairtable.metrics.spring;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.MetricsConfig;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.spring.config.PyAirtableMetricsProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Builds the collector from {@link PyAirtableMetricsProperties}: a property that is set wins, then
 * the project's environment variable, then the default. The variables are read through Spring's
 * {@link Environment}, so they can come from the process environment or any property source.
 *
 * <pre>{@code
 * MetricsCollector collector = CollectorFactory.create(properties, environment, registry, "1.0.0");
 * }</pre>
 */
public final class CollectorFactory {

  /** The environment variables the collector reads (see {@code MetricsConfig.fromEnvironment}). */
  static final List<String> VARIABLES = List.of("SERVICE_NAME", "SERVICE_VERSION", "METRICS_ENABLED",
      "METRICS_ENDPOINT", "REDIS_URL", "METRICS_NATIVE_HISTOGRAMS", "METRICS_VERSION_LABEL", "METRICS_SERIES_BUDGET",
      "METRICS_LABEL_MAX_LENGTH", "METRICS_SERVICE_ROLES");

  private CollectorFactory() {}

  /**
   * The collector for these settings, registered in {@code registry}.
   *
   * @param buildVersion the version from Spring Boot's build info, or null
   * @throws IllegalStateException naming the property or variable with an invalid value
   */
  public static MetricsCollector create(PyAirtableMetricsProperties p, Environment environment,
      PrometheusRegistry registry, String buildVersion) {
    Map<String, String> env = new HashMap<>();
    for (String name : VARIABLES) {
      String value = environment.getProperty(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    Metrics.Builder b;
    try {
      b = Metrics.builder(env);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("PyAirtable metrics: " + e.getMessage(), e);
    }
    String name = p.getServiceName() != null ? p.getServiceName()
        : env.containsKey("SERVICE_NAME") ? null : environment.getProperty("spring.application.name");
    if (name != null) {
      b.serviceName(checked("pyairtable.metrics.service-name (or spring.application.name)", name));
    } else if (!env.containsKey("SERVICE_NAME")) {
      throw new IllegalStateException("PyAirtable metrics: no service name: set spring.application.name or "
          + "pyairtable.metrics.service-name");
    }
    if (p.getVersion() != null) {
      b.version(p.getVersion());
    } else if (!env.containsKey("SERVICE_VERSION") && buildVersion != null && !buildVersion.isBlank()) {
      b.version(buildVersion);
    }
    if (p.getEnabled() != null) {
      b.enabled(p.getEnabled());
    }
    if (p.getSeriesBudget() != null) {
      b.seriesBudget(p.getSeriesBudget());
    }
    if (p.getLabelMaxLength() != null) {
      b.labelValueMaxLength(p.getLabelMaxLength());
    }
    if (p.getVersionLabel() != null) {
      b.versionOnEverySeries(p.getVersionLabel());
    }
    if (p.getEndpoint().getPath() != null) {
      b.endpoint(p.getEndpoint().getPath());
    }
    b.jvmMetrics(p.isJvmMetrics());
    try {
      b.roles(p.getRoles().toArray(MetricGroup[]::new));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("PyAirtable metrics: pyairtable.metrics.roles: " + e.getMessage(), e);
    }
    if (p.isJvmMetrics()) {
      ClientJavaVersion.requireJvmMetricsSupport();
    }
    return b.initialize(registry);
  }

  private static String checked(String property, String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalStateException("PyAirtable metrics: " + property + "=\"" + name + "\" is invalid: expected 1 to"
          + " 64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
    }
    return name;
  }
}
