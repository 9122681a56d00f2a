package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The collector from pyairtable.metrics.*, the environment variables, and start-up failures naming the property. */
class PropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PyAirtableMetricsAutoConfiguration.class));

  @Test
  void theServiceNameDefaultsToTheApplicationNameAndJvmMetricsAreOff() {
    runner.withPropertyValues("spring.application.name=billing").run(context -> {
      MetricsCollector collector = context.getBean(MetricsCollector.class);
      assertThat(collector.serviceName()).isEqualTo("billing");
      assertThat(collector.version()).isEqualTo("unknown");
      assertThat(collector.config().jvmMetrics()).isFalse();
      assertThat(collector.enabled()).isTrue();
    });
  }

  @Test
  void everyPropertyReachesTheCollector() {
    runner.withPropertyValues("spring.application.name=billing", "pyairtable.metrics.service-name=invoices",
        "pyairtable.metrics.version=3.1.0", "pyairtable.metrics.series-budget=42",
        "pyairtable.metrics.label-max-length=16", "pyairtable.metrics.version-label=true",
        "pyairtable.metrics.roles=airtable-gateway,mcp-server").run(context -> {
          MetricsCollector collector = context.getBean(MetricsCollector.class);
          assertThat(collector.serviceName()).isEqualTo("invoices");
          assertThat(collector.version()).isEqualTo("3.1.0");
          assertThat(collector.config().seriesBudget("http_requests_total")).isEqualTo(42);
          assertThat(collector.config().labelValueMaxLength()).isEqualTo(16);
          assertThat(collector.config().versionOnEverySeries()).isTrue();
          assertThat(collector.registry().roles()).containsExactly(MetricGroup.AIRTABLE_GATEWAY, MetricGroup.MCP_SERVER);
          assertThat(collector.exportMetrics()).contains("active_connections{service=\"invoices\",version=\"3.1.0\"} 0.0");
        });
  }

  @Test
  void theProjectsEnvironmentVariablesAreHonouredWhenNoPropertyIsSet() {
    runner.withPropertyValues("spring.application.name=billing", "SERVICE_NAME=from-env", "METRICS_ENABLED=false",
        "METRICS_SERIES_BUDGET=7", "METRICS_SERVICE_ROLES=llm_orchestrator").run(context -> {
          MetricsCollector collector = context.getBean(MetricsCollector.class);
          assertThat(collector.serviceName()).isEqualTo("from-env");
          assertThat(collector.enabled()).isFalse();
          assertThat(collector.config().seriesBudget("errors_total")).isEqualTo(7);
          assertThat(collector.config().roles()).containsExactly(MetricGroup.LLM_ORCHESTRATOR);
        });
  }

  @Test
  void theVersionComesFromBuildInfo() {
    Properties build = new Properties();
    build.setProperty("version", "2.4.0");
    runner.withPropertyValues("spring.application.name=billing")
        .withBean(BuildProperties.class, () -> new BuildProperties(build)).run(context ->
            assertThat(context.getBean(MetricsCollector.class).version()).isEqualTo("2.4.0"));
  }

  @Test
  void anInvalidSeriesBudgetFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("spring.application.name=billing", "pyairtable.metrics.series-budget=0")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pyairtable.metrics")
              .hasMessageContaining("seriesBudget");
          assertThat(messages(context.getStartupFailure())).contains("must be greater than or equal to 1");
        });
  }

  @Test
  void anInvalidServiceNameFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("spring.application.name=billing", "pyairtable.metrics.service-name=no spaces")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure())).contains("serviceName")
              .contains("must be 1 to 64 characters");
        });
  }

  @Test
  void anInvalidEnvironmentVariableFailsStartUpNamingTheVariable() {
    runner.withPropertyValues("spring.application.name=billing", "METRICS_LABEL_MAX_LENGTH=lots").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .contains("METRICS_LABEL_MAX_LENGTH=\"lots\" is invalid: expected a whole number >= 1");
    });
  }

  @Test
  void aGroupThatIsNoRoleFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("spring.application.name=billing", "pyairtable.metrics.roles=cache").run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure())).contains("pyairtable.metrics.roles: CACHE is not a service role");
    });
  }

  @Test
  void withoutAnyServiceNameStartUpFailsSayingWhatToSet() {
    runner.run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .contains("no service name: set spring.application.name or pyairtable.metrics.service-name");
    });
  }

  @Test
  void jvmMetricsOnTheClientJavaBootPinsFailStartUpNamingTheVersionProperty() {
    assertThat(ClientJavaVersion.jvmMetricsTakeConstLabels()).as("client_java 1.4.3 on this class path").isFalse();
    runner.withPropertyValues("spring.application.name=billing", "pyairtable.metrics.jvm-metrics=true")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context.getStartupFailure())).contains("prometheus-client.version=1.10.0");
        });
  }

  static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append('\n');
    }
    return b.toString();
  }
}
