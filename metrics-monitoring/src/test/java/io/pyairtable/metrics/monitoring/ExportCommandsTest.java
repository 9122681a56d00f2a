package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandsTest {

  @Test
  void aServicesFileWithoutPortOrTargetOrWithAReservedLabelIsRefused(@TempDir Path dir) throws Exception {
    Path noPort = dir.resolve("a.yml");
    Files.writeString(noPort, "services:\n  - name: user-service\n");
    assertThatThrownBy(() -> Services.read(noPort)).hasMessageContaining("user-service needs a port or a target");
    Path reserved = dir.resolve("b.yml");
    Files.writeString(reserved, "services:\n  - {name: user-service, port: 8010, labels: {job: x}}\n");
    assertThatThrownBy(() -> Services.read(reserved)).hasMessageContaining("label job of user-service is reserved");
    Path onlyFile = dir.resolve("c.yml");
    Files.writeString(onlyFile, "builtIn: false\nservices:\n  - {name: user-service, port: 8010}\n");
    assertThat(Services.read(onlyFile).names()).containsExactly("user-service");
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
    JsonNode embedded = new ObjectMapper().readTree(
        cm.get("data").get("pyairtable-overview.json").asText());
    assertThat(embedded.get("uid").asText()).isEqualTo("pyairtable-overview");
  }
}
