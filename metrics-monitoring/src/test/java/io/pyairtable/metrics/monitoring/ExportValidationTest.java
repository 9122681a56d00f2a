package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported tree passes the real tools: promtool, amtool and docker-compose. */
class ExportValidationTest {

  @TempDir
  static Path dir;

  @BeforeAll
  static void export() {
    MonitoringExport.exportMonitoringConfigs(dir);
  }

  @Test
  void exportWritesTheOriginalLayoutPlusKubernetes() {
    assertThat(dir.resolve("prometheus.yml")).isRegularFile();
    assertThat(dir.resolve("alerts.yml")).isRegularFile();
    assertThat(dir.resolve("slo-rules.yml")).isRegularFile();
    assertThat(dir.resolve("alertmanager.yml")).isRegularFile();
    assertThat(dir.resolve("alertmanager-no-slack.yml")).isRegularFile();
    assertThat(dir.resolve("docker-compose.monitoring.yml")).isRegularFile();
    assertThat(dir.resolve("grafana/provisioning/datasources/datasources.yml")).isRegularFile();
    assertThat(dir.resolve("grafana/provisioning/dashboards/dashboards.yml")).isRegularFile();
    assertThat(dir.resolve("grafana/dashboards").toFile().list()).hasSize(7);
    assertThat(dir.resolve("k8s/servicemonitors.yaml")).isRegularFile();
    assertThat(dir.resolve("k8s/prometheusrule.yaml")).isRegularFile();
    assertThat(dir.resolve("k8s/grafana-datasource.yaml")).isRegularFile();
    assertThat(dir.resolve("k8s/dashboards").toFile().list()).hasSize(7);
  }

  @Test
  void promtoolAcceptsPrometheusConfigAndFindsBothRuleFiles() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "config", "prometheus.yml");
    assertThat(r.output()).contains("SUCCESS: 2 rule files found");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void promtoolAcceptsBothRuleFilesWithoutLintFindings() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "rules", "alerts.yml", "slo-rules.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: 6 rules found")
        // per service: 2 SLOs x (7 windows + period + objective + budget) recordings + 4 burn alerts
        .contains("SUCCESS: " + 4 * (2 * 10 + 4) + " rules found");
  }

  @Test
  void amtoolAcceptsBothAlertmanagerConfigsAndOnlySlackNeedsASecret() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, "amtool", "check-config", "alertmanager.yml",
        "alertmanager-no-slack.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output().split("2 inhibit rules", -1)).hasSize(3);
    assertThat(r.output().split("2 receivers", -1)).hasSize(3);
    String slack = Files.readString(dir.resolve("alertmanager.yml"));
    String local = Files.readString(dir.resolve("alertmanager-no-slack.yml"));
    assertThat(slack).contains("api_url_file: \"/tmp/slack-webhook-url\"").contains("group_wait: \"30s\"")
        .contains("group_interval: \"5m\"").contains("repeat_interval: \"4h\"");
    assertThat(local).doesNotContain("slack").doesNotContain("url").contains("group_wait: \"30s\"");
  }

  @Test
  void dockerComposeValidatesWithNothingButTheGrafanaPasswordAndPublishesOnLoopbackOnly() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, Map.of("GRAFANA_ADMIN_PASSWORD", "only-this"),
        List.of("env", "-u", "SLACK_WEBHOOK_URL", "docker-compose", "-f", "docker-compose.monitoring.yml", "config"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode services = YamlDocuments.read(r.output()).get("services");
    // Prometheus and Grafana on the host network, listening on 127.0.0.1 only.
    assertThat(services.get("prometheus").get("network_mode").asText()).isEqualTo("host");
    assertThat(services.get("prometheus").get("command").toString())
        .contains("--web.listen-address=127.0.0.1:9090");
    assertThat(services.get("grafana").get("network_mode").asText()).isEqualTo("host");
    assertThat(services.get("grafana").get("environment").get("GF_SERVER_HTTP_ADDR").asText()).isEqualTo("127.0.0.1");
    List<String> published = new ArrayList<>();
    services.fields().forEachRemaining(e -> e.getValue().path("ports").forEach(p ->
        published.add(e.getKey() + " " + (p.isTextual() ? p.asText().replace("/tcp", "")
            : p.path("host_ip").asText() + ":" + p.path("published").asText() + ":" + p.path("target").asText()))));
    assertThat(published).containsExactlyInAnyOrder("alertmanager 127.0.0.1:9093:9093",
        "redis-exporter 127.0.0.1:9121:9121");
    assertThat(services.get("redis").has("ports")).isFalse();
    // Without SLACK_WEBHOOK_URL the entrypoint picks the configuration that needs no secret.
    assertThat(services.get("alertmanager").get("environment").get("SLACK_WEBHOOK_URL").asText()).isEmpty();
    assertThat(services.get("alertmanager").get("entrypoint").toString())
        .contains("config=/etc/alertmanager/alertmanager-no-slack.yml")
        .contains("if [ -n \\\"$$SLACK_WEBHOOK_URL\\\" ]");
  }

  @Test
  void dockerComposeAcceptsTheStackAndTakesTheGrafanaPasswordFromTheEnvironment() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, Map.of("GRAFANA_ADMIN_PASSWORD", "s3cret-from-env",
        "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXX"),
        List.of("docker-compose", "-f", "docker-compose.monitoring.yml", "config"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode resolved = YamlDocuments.read(r.output());
    JsonNode services = resolved.get("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("prometheus", "alertmanager", "grafana", "redis", "redis-exporter");
    assertThat(services.get("grafana").get("environment").get("GF_SECURITY_ADMIN_PASSWORD").asText())
        .isEqualTo("s3cret-from-env");
    services.forEach(s -> {
      assertThat(s.get("image").asText()).matches(".+:v?[0-9][^:]*").doesNotContain("latest");
      assertThat(s.has("healthcheck")).as(s.get("image").asText()).isTrue();
    });
    assertThat(services.get("prometheus").get("volumes").toString())
        .contains("/etc/prometheus/alerts.yml").contains("/etc/prometheus/slo-rules.yml");
    assertThat(resolved.get("networks").get("pyairtable").has("external")).isFalse();
  }

  @Test
  void theHaPairExportRunsTwoPrometheusInComposeEachWithItsConfigPortAndData(@TempDir Path pairDir) throws Exception {
    MonitoringExport.builder().haPair().build().writeConfigs(pairDir);

    ExternalTool.Result r = ExternalTool.run(pairDir, Map.of("GRAFANA_ADMIN_PASSWORD", "only-this"),
        List.of("env", "-u", "SLACK_WEBHOOK_URL", "docker-compose", "-f", "docker-compose.monitoring.yml", "config"));

    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode resolved = YamlDocuments.read(r.output());
    JsonNode services = resolved.get("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("prometheus-a", "prometheus-b", "alertmanager", "grafana", "redis",
        "redis-exporter");
    int port = 9090;
    for (String replica : List.of("a", "b")) {
      JsonNode p = services.get("prometheus-" + replica);
      assertThat(p.get("network_mode").asText()).isEqualTo("host");
      assertThat(p.get("command").toString()).contains("--web.listen-address=127.0.0.1:" + port);
      assertThat(p.get("healthcheck").get("test").toString()).contains("http://127.0.0.1:" + port + "/-/healthy");
      assertThat(p.get("volumes").toString()).contains("prometheus-" + replica + ".yml")
          .contains("/etc/prometheus/alerts.yml").contains("prometheus_" + replica + "_data");
      assertThat(p.get("depends_on").has("alertmanager")).isTrue();
      // The pair's config is the single one plus exactly the replica label and the alert relabelling
      // that drops it again, so Alertmanager receives identical alerts from both and deduplicates them.
      ObjectNode expected = (ObjectNode) YamlDocuments.read(Files.readString(pairDir.resolve("prometheus.yml")));
      ((ObjectNode) expected.get("global").get("external_labels")).put("replica", replica);
      ((ObjectNode) expected.get("alerting")).putArray("alert_relabel_configs").addObject()
          .put("action", "labeldrop").put("regex", "replica");
      assertThat(YamlDocuments.read(Files.readString(pairDir.resolve("prometheus-" + replica + ".yml"))))
          .isEqualTo(expected);
      port++;
    }
    List<String> volumes = new ArrayList<>();
    resolved.get("volumes").fieldNames().forEachRemaining(volumes::add);
    assertThat(volumes).containsExactlyInAnyOrder("prometheus_a_data", "prometheus_b_data", "alertmanager_data",
        "grafana_data");
    assertThat(services.get("grafana").get("depends_on").has("prometheus-a")).isTrue();
    for (String replica : List.of("a", "b")) {
      ExternalTool.Result check = ExternalTool.run(pairDir, "promtool", "check", "config", "prometheus-" + replica + ".yml");
      assertThat(check.exitCode()).as(check.output()).isZero();
    }
  }

  @Test
  void dockerComposeRefusesToStartWithoutAGrafanaPassword() throws Exception {
    ExternalTool.Result r = ExternalTool.run(dir, Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/x"),
        List.of("env", "-u", "GRAFANA_ADMIN_PASSWORD", "docker-compose", "-f", "docker-compose.monitoring.yml",
            "config"));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("set GRAFANA_ADMIN_PASSWORD");
  }

  @Test
  void scrapeJobsMatchTheServicePortsAndFollowTheBasePort() throws Exception {
    JsonNode config = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml")));
    for (ServiceCatalog s : ServiceCatalog.all()) {
      assertThat(jobTarget(config, s.jobName())).isEqualTo("127.0.0.1:" + s.defaultPort());
    }
    JsonNode moved = MonitoringExport.builder().prometheus(p -> p.targets(ScrapeTargets.onHost("127.0.0.1", 9100))).build()
        .prometheusConfig();
    assertThat(jobTarget(moved, ServiceCatalog.API_GATEWAY.jobName())).isEqualTo("127.0.0.1:9100");
    assertThat(jobTarget(moved, ServiceCatalog.LLM_ORCHESTRATOR.jobName())).isEqualTo("127.0.0.1:9103");
    assertThat(config.get("alerting").toString()).contains("127.0.0.1:9093");
    assertThat(config.has("remote_write")).isFalse();
    assertThat(MonitoringExport.builder().remoteWrite("https://mimir.example/api/v1/push").build()
        .prometheusConfig().get("remote_write").get(0).get("url").asText())
        .isEqualTo("https://mimir.example/api/v1/push");
  }

  private static String jobTarget(JsonNode config, String job) {
    for (JsonNode j : config.get("scrape_configs")) {
      if (j.get("job_name").asText().equals(job)) {
        return j.get("static_configs").get(0).get("targets").get(0).asText();
      }
    }
    throw new AssertionError("no job " + job);
  }
}
