package io.pyairtable.metrics.monitoring.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.services.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Kubernetes object the export writes passes the strict schema check; a misspelt field fails it. */
class KubernetesExportSchemaTest {

  @TempDir
  Path dir;

  @Test
  void everyExportedKubernetesObjectMatchesItsSchemaWithNoUnknownField() throws IOException {
    Map<String, Integer> kinds = new TreeMap<>();
    for (JsonNode doc : exportedObjects()) {
      StrictKubernetesSchema.check(doc);
      kinds.merge(doc.get("kind").asText(), 1, Integer::sum);
    }
    // 5 services (the four and user-service): a Deployment, Service, PDB and HPA each; 7 dashboards,
    // the data source and the workloads' configuration as ConfigMaps; one PrometheusRule
    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ConfigMap", 9, "Deployment", 5, "HorizontalPodAutoscaler", 5, "PodDisruptionBudget", 5,
        "PrometheusRule", 1, "Service", 5, "ServiceMonitor", 5));
  }

  @Test
  void aMisspeltFieldAnywhereFailsTheCheckNamingIt() throws IOException {
    List<JsonNode> docs = exportedObjects();
    JsonNode deployment = first(docs, "Deployment");
    ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "IfNotPresent");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(deployment)).hasMessageContaining("imagePullPolicyy");

    JsonNode monitor = first(docs, "ServiceMonitor");
    ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "15s");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(monitor)).hasMessageContaining("intervall");

    JsonNode rule = first(docs, "PrometheusRule");
    ((ObjectNode) rule.at("/spec/groups/0/rules/0")).put("expression", "up == 0");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(rule)).hasMessageContaining("expression");

    JsonNode hpa = first(docs, "HorizontalPodAutoscaler");
    ((ObjectNode) hpa.get("spec")).put("targetCPUUtilizationPercentage", 70); // an autoscaling/v1 field
    assertThatThrownBy(() -> StrictKubernetesSchema.check(hpa)).hasMessageContaining("targetCPUUtilizationPercentage");

    JsonNode dashboard = first(docs, "ConfigMap");
    ((ObjectNode) dashboard.get("metadata")).put("label", "x");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(dashboard)).hasMessageContaining("label");
  }

  @Test
  void aValueOfTheWrongTypeOrKindFailsTheCheck() throws IOException {
    List<JsonNode> docs = exportedObjects();
    JsonNode service = first(docs, "Service");
    ((ObjectNode) service.at("/spec/ports/0")).put("port", "8000");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(service)).hasMessageContaining("Service");

    JsonNode pdb = first(docs, "PodDisruptionBudget");
    ((ObjectNode) pdb).put("apiVersion", "policy/v1beta1");
    assertThatThrownBy(() -> StrictKubernetesSchema.check(pdb)).hasMessageContaining("must be policy/v1");
  }

  private List<JsonNode> exportedObjects() throws IOException {
    Path services = dir.resolve("services.yml");
    Files.writeString(services, """
        services:
          - name: user-service
            target: users.internal:9100
            healthPath: /healthz
            image: ghcr.io/example/user-service:1.4.2
            secrets: [USER_DB_PASSWORD]
        """);
    Path out = dir.resolve("out");
    MonitoringExport.builder().services(Services.read(services))
        .kubernetesWorkloads(WorkloadOptions.builder(Duration.ofSeconds(10)).build())
        .build().writeConfigs(out);
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(out.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f).split("(?m)^---\n")) {
          if (!doc.isBlank()) {
            docs.add(YamlDocuments.read(doc));
          }
        }
      }
    }
    return docs;
  }

  private static JsonNode first(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst().orElseThrow();
  }
}
