package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a Boot application gets with the starter: no Javalin, Jetty or Kotlin (the starter depends
 * on the framework-neutral metrics-http), and client_java at the version Boot manages.
 */
class DependencyHygieneTest {

  private static List<String> classPath() {
    return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  @Test
  void aBootApplicationGetsNeitherJavalinNorJettyNorKotlin() {
    assertThat(classPath()).noneMatch(e -> e.contains("/io/javalin/") || e.contains("/org/eclipse/jetty/")
        || e.contains("/org/jetbrains/kotlin/"));
    for (String type : List.of("io.javalin.Javalin", "org.eclipse.jetty.server.Server", "kotlin.Unit")) {
      assertThatThrownBy(() -> Class.forName(type)).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void theStarterRunsOnTheClientJavaAndMicrometerThatBootManages() {
    assertThat(PrometheusRegistry.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("/prometheus-metrics-model-1.4.3.jar");
    assertThat(Counter.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("/prometheus-metrics-core-1.4.3.jar");
    assertThat(PrometheusMeterRegistry.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("/micrometer-registry-prometheus-1.16.6.jar");
  }
}
