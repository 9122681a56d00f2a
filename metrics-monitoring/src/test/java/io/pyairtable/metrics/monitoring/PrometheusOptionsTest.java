package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export's Prometheus options are PrometheusConfig.Builder's, and reach every file that needs them. */
class PrometheusOptionsTest {

  @Test
  void prometheusOptionsReachPrometheusYmlGrafanaAndTheServiceMonitors(@TempDir Path dir) throws Exception {
    MonitoringExport.builder()
        .prometheus(p -> p.scrapeInterval("7s").evaluationInterval("9s").metricsPath("/internal/metrics"))
        .prometheus(p -> p.selfTarget(null).redisExporter(null))
        .haPair()
        .build().writeConfigs(dir);

    for (String file : List.of("prometheus.yml", "prometheus-a.yml", "prometheus-b.yml")) {
      JsonNode config = YamlDocuments.read(Files.readString(dir.resolve(file)));
      assertThat(config.get("global").get("scrape_interval").asText()).as(file).isEqualTo("7s");
      assertThat(config.get("global").get("evaluation_interval").asText()).as(file).isEqualTo("9s");
      List<String> jobs = new ArrayList<>();
      for (JsonNode job : config.get("scrape_configs")) {
        jobs.add(job.get("job_name").asText() + " " + job.get("metrics_path").asText());
      }
      assertThat(jobs).as(file).containsExactlyInAnyOrder("pyairtable-api-gateway /internal/metrics",
          "pyairtable-airtable-gateway /internal/metrics", "pyairtable-mcp-server /internal/metrics",
          "pyairtable-llm-orchestrator /internal/metrics");
      assertThat(config.get("rule_files").toString()).isEqualTo("[\"alerts.yml\",\"slo-rules.yml\"]");
    }
    JsonNode datasource = YamlDocuments.read(Files.readString(
        dir.resolve("grafana/provisioning/datasources/datasources.yml"))).get("datasources").get(0);
    assertThat(datasource.get("jsonData").get("timeInterval").asText()).isEqualTo("7s");
    String monitors = Files.readString(dir.resolve("k8s/servicemonitors.yaml"));
    assertThat(monitors.lines().filter(l -> l.contains("interval:")).distinct().map(String::strip))
        .containsExactly("interval: \"7s\"");
    assertThat(monitors.lines().filter(l -> l.contains("path:")).distinct().map(String::strip))
        .containsExactly("path: \"/internal/metrics\"");
  }
}
