package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.catalog.MetricGroup;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsConfigTest {

  @Test
  void readsEveryDocumentedVariable() {
    MetricsConfig config = MetricsConfig.fromEnvironment(Map.of(
        "SERVICE_NAME", "my-service-py",
        "SERVICE_VERSION", "1.0.0",
        "METRICS_ENABLED", "false",
        "METRICS_ENDPOINT", "/internal/metrics",
        "REDIS_URL", "redis://localhost:6379",
        "METRICS_JVM_ENABLED", "no",
        "METRICS_NATIVE_HISTOGRAMS", "true",
        "METRICS_VERSION_LABEL", "1",
        "METRICS_SERIES_BUDGET", "250",
        "METRICS_LABEL_MAX_LENGTH", "64"));

    assertThat(config.serviceName()).isEqualTo("my-service-py");
    assertThat(config.version()).isEqualTo("1.0.0");
    assertThat(config.enabled()).isFalse();
    assertThat(config.endpoint()).isEqualTo("/internal/metrics");
    assertThat(config.redisUrl()).contains("redis://localhost:6379");
    assertThat(config.jvmMetrics()).isFalse();
    assertThat(config.nativeHistograms()).isTrue();
    assertThat(config.versionOnEverySeries()).isTrue();
    assertThat(config.seriesBudget("anything")).isEqualTo(250);
    assertThat(config.labelValueMaxLength()).isEqualTo(64);
  }

  @Test
  void bothBuildersShareEverySettingAndItsCheck() {
    Map<String, String> env = Map.of("SERVICE_NAME", "svc", "METRICS_SERIES_BUDGET", "250", "METRICS_SERVICE_ROLES",
        "mcp_server");

    MetricsConfig viaMetrics = Metrics.builder(env).version("2.0.0").buckets("x", 2, 1).info("region", "eu").build();
    MetricsConfig viaConfig = MetricsConfig.builder().environment(env).version("2.0.0").buckets("x", 2, 1)
        .info("region", "eu").build();

    for (MetricsConfig c : new MetricsConfig[] {viaMetrics, viaConfig}) {
      assertThat(c.serviceName()).isEqualTo("svc");
      assertThat(c.version()).isEqualTo("2.0.0");
      assertThat(c.seriesBudget("anything")).isEqualTo(250);
      assertThat(c.roles()).containsExactly(MetricGroup.MCP_SERVER);
      assertThat(c.buckets("x")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
      assertThat(c.info()).containsExactly(Map.entry("region", "eu"));
    }
    assertThatThrownBy(() -> Metrics.builder(Map.of()).seriesBudget(0))
        .hasMessage("series budget must be at least 1, was 0");
    assertThatThrownBy(() -> MetricsConfig.builder().seriesBudget(0))
        .hasMessage("series budget must be at least 1, was 0");
  }

  @Test
  void defaultsNeedOnlyTheServiceName() {
    MetricsConfig config = MetricsConfig.fromEnvironment(Map.of("SERVICE_NAME", "svc"));

    assertThat(config.version()).isEqualTo("unknown");
    assertThat(config.enabled()).isTrue();
    assertThat(config.endpoint()).isEqualTo("/metrics");
    assertThat(config.redisUrl()).isEmpty();
    assertThat(config.jvmMetrics()).isTrue();
    assertThat(config.nativeHistograms()).isFalse();
    assertThat(config.versionOnEverySeries()).isFalse();
    assertThat(config.seriesBudget("http_requests_total")).isEqualTo(1_000);
    assertThat(config.labelValueMaxLength()).isEqualTo(128);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "METRICS_ENABLED|maybe|METRICS_ENABLED=\"maybe\" is invalid: expected true or false (also accepted: 1/0, yes/no, on/off)",
      "METRICS_ENDPOINT|metrics|METRICS_ENDPOINT=\"metrics\" is invalid: expected an absolute path such as /metrics",
      "REDIS_URL|localhost:6379|REDIS_URL=\"localhost:6379\" is invalid: expected redis://[user:password@]host[:port][/database] or rediss://...",
      "METRICS_SERIES_BUDGET|0|METRICS_SERIES_BUDGET=\"0\" is invalid: expected a whole number >= 1",
      "METRICS_LABEL_MAX_LENGTH|lots|METRICS_LABEL_MAX_LENGTH=\"lots\" is invalid: expected a whole number >= 1",
      "SERVICE_NAME|my service|SERVICE_NAME=\"my service\" is invalid: expected 1 to 64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit",
  })
  void anInvalidValueFailsNamingTheVariableAndWhatItAccepts(String variable, String value, String message) {
    Map<String, String> env = new HashMap<>(Map.of("SERVICE_NAME", "svc"));
    env.put(variable, value);

    assertThatThrownBy(() -> MetricsConfig.fromEnvironment(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aMissingServiceNameSaysWhereToSetIt() {
    assertThatThrownBy(() -> MetricsConfig.fromEnvironment(Map.of()))
        .hasMessage("service name is required: pass it to Metrics.initialize or set SERVICE_NAME");
  }

  @Test
  void codeSettingsOverrideTheEnvironment() {
    MetricsCollector c = Metrics.builder(Map.of("SERVICE_NAME", "from-env", "SERVICE_VERSION", "0.1"))
        .serviceName("from-code").jvmMetrics(false).initialize();

    assertThat(c.serviceName()).isEqualTo("from-code");
    assertThat(c.version()).isEqualTo("0.1");
  }

  @Test
  void disabledMetricsMakeRecordCallsNoOpsAndTheExpositionEmpty() {
    MetricsCollector c = Metrics.builder(Map.of("METRICS_ENABLED", "false")).serviceName("off").initialize();

    ExpositionLintTest.recordEverything(c, "x");

    assertThat(c.enabled()).isFalse();
    assertThat(c.exportMetrics()).isEmpty();
    assertThat(c.prometheusRegistry().scrape().stream()
        .flatMap(s -> s.getDataPoints().stream())
        .filter(d -> d.getLabels().toString().contains("\"x\""))).isEmpty();
  }

  @Test
  void versionLabelOnEverySeriesIsOptIn() {
    MetricsCollector c = Metrics.builder(Map.of("METRICS_VERSION_LABEL", "true")).serviceName("v").version("2.0")
        .jvmMetrics(false).initialize();

    c.recordCacheOperation("get", "hit");

    assertThat(c.exportMetrics().lines()).contains(
        "cache_operations_total{operation=\"get\",result=\"hit\",service=\"v\",version=\"2.0\"} 1.0",
        "service_info{service=\"v\",version=\"2.0\"} 1");
  }

  @Test
  void configuredBucketsReplaceTheCatalogueDefaults() {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("b").jvmMetrics(false)
        .buckets("airtable_api_duration_seconds", 0.2, 1).initialize();

    c.recordAirtableRequest("appA", "Users", "list", 200, 0.1);

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("airtable_api_duration_seconds_bucket")))
        .extracting(l -> l.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
        .containsExactly("0.2", "1.0", "+Inf");
  }
}
