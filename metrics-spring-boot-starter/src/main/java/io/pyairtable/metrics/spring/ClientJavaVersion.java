package io.pyairtable.metrics.spring;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * What the client_java on the class path offers. Spring Boot's dependency management pins
 * client_java ({@code prometheus-client.version}, 1.4.3 in Boot 4.0.7); the library keeps to what
 * 1.4 and 1.10 both offer, except client_java's JVM metrics with the {@code service} label, which
 * need 1.5 or later. They are off in a Boot application (Micrometer owns the JVM metrics).
 *
 * <pre>{@code
 * ClientJavaVersion.requireJvmMetricsSupport(); // fails naming prometheus-client.version on 1.4
 * }</pre>
 */
public final class ClientJavaVersion {

  private ClientJavaVersion() {}

  /** True when client_java's JVM metrics accept const labels (client_java 1.5 and later). */
  public static boolean jvmMetricsTakeConstLabels() {
    try {
      JvmMetrics.Builder.class.getMethod("constLabels", Labels.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Fails, naming the one property to set, when pyairtable.metrics.jvm-metrics=true cannot work. */
  static void requireJvmMetricsSupport() {
    if (!jvmMetricsTakeConstLabels()) {
      throw new IllegalStateException("PyAirtable metrics: pyairtable.metrics.jvm-metrics=true needs client_java 1.5"
          + " or later, but Spring Boot's dependency management selected an older one: set the Maven property"
          + " prometheus-client.version=1.10.0 (Gradle: ext['prometheus-client.version']), or leave the JVM metrics"
          + " to Micrometer (the default)");
    }
  }
}
