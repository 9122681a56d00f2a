package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.cli.ExportConfigsCommand;
import io.pyairtable.metrics.monitoring.cli.ExportDashboardsCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandsTest {

  @Test
  void exportConfigsWithTargetsHostAndBasePortScrapesThoseAddresses(@TempDir Path dir) throws Exception {
    int exit = new CommandLine(new ExportConfigsCommand()).execute("--targets-host", "127.0.0.1", "--base-port",
        "9200", "--scrape-interval", "5s", dir.toString());
    assertThat(exit).isZero();
    JsonNode config = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml")));
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.get("scrape_configs")) {
      if (job.get("job_name").asText().startsWith("pyairtable-")) {
        targets.add(job.get("static_configs").get(0).get("targets").get(0).asText());
      }
    }
    assertThat(targets).containsExactly("127.0.0.1:9200", "127.0.0.1:9201", "127.0.0.1:9202", "127.0.0.1:9203");
    assertThat(config.get("global").get("scrape_interval").asText()).isEqualTo("5s");
    assertThat(dir.resolve("k8s/servicemonitors.yaml")).isRegularFile();
  }

  @Test
  void exportDashboardsWritesTheSevenJsonFiles(@TempDir Path dir) {
    int exit = new CommandLine(new ExportDashboardsCommand()).execute(dir.toString());
    assertThat(exit).isZero();
    assertThat(dir.toFile().list()).hasSize(7).allMatch(n -> n.endsWith(".json"));
  }

  @Test
  void kubernetesObjectsCarryTheOperatorAndSidecarContracts(@TempDir Path dir) throws Exception {
    MonitoringExport.exportMonitoringConfigs(dir);
    String monitors = Files.readString(dir.resolve("k8s/servicemonitors.yaml"));
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : monitors.split("(?m)^---\n")) {
      if (!doc.isBlank()) {
        docs.add(YamlDocuments.read(doc));
      }
    }
    assertThat(docs).hasSize(4).allSatisfy(d -> {
      assertThat(d.get("kind").asText()).isEqualTo("ServiceMonitor");
      assertThat(d.get("metadata").get("labels").get("release").asText()).isEqualTo("prometheus");
    });
    assertThat(docs.get(0).get("spec").get("endpoints").get(0).get("relabelings").get(0).get("replacement").asText())
        .isEqualTo(ServiceCatalog.API_GATEWAY.jobName());

    JsonNode rule = YamlDocuments.read(Files.readString(dir.resolve("k8s/prometheusrule.yaml")).substring(4));
    assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.get("spec").get("groups")).hasSize(5);

    JsonNode cm = YamlDocuments.read(Files.readString(dir.resolve("k8s/dashboards/pyairtable-overview.yaml"))
        .substring(4));
    assertThat(cm.get("metadata").get("labels").get("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode embedded = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        cm.get("data").get("pyairtable-overview.json").asText());
    assertThat(embedded.get("uid").asText()).isEqualTo("pyairtable-overview");
  }
}
