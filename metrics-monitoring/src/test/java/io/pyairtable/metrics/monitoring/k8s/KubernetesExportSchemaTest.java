package io.pyairtable.metrics.monitoring.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
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
    assertCheckFails(docs, "Deployment", "/spec/template/spec/containers/0", "imagePullPolicyy", "IfNotPresent",
        "imagePullPolicyy");
    assertCheckFails(docs, "ServiceMonitor", "/spec/endpoints/0", "intervall", "15s", "intervall");
    assertCheckFails(docs, "PrometheusRule", "/spec/groups/0/rules/0", "expression", "up == 0", "expression");
    // an autoscaling/v1 field
    assertCheckFails(docs, "HorizontalPodAutoscaler", "/spec", "targetCPUUtilizationPercentage", 70,
        "targetCPUUtilizationPercentage");
    assertCheckFails(docs, "ConfigMap", "/metadata", "label", "x", "label");
  }

  @Test
  void aValueOfTheWrongTypeOrKindFailsTheCheck() throws IOException {
    List<JsonNode> docs = exportedObjects();
    assertCheckFails(docs, "Service", "/spec/ports/0", "port", "8000", "Service");
    assertCheckFails(docs, "PodDisruptionBudget", "", "apiVersion", "policy/v1beta1", "must be policy/v1");
  }

  /**
   * Sets {@code field} to {@code value} in the object at {@code pointer} ("": the whole document) of
   * the first exported document of {@code kind}: the strict check must then fail naming {@code message}.
   */
  private static void assertCheckFails(List<JsonNode> docs, String kind, String pointer, String field, Object value,
      String message) {
    JsonNode doc = first(docs, kind);
    ((ObjectNode) doc.at(pointer)).set(field, YamlDocuments.mapper().valueToTree(value));
    assertThatThrownBy(() -> StrictKubernetesSchema.check(doc)).hasMessageContaining(message);
  }

  private List<JsonNode> exportedObjects() throws IOException {
    // the four services and one of the user's, scraped at its own target, with its image and a secret
    List<MonitoredService> services = new ArrayList<>(Services.defaults().services());
    services.add(new MonitoredService("user-service", null, "users.internal:9100", null, Map.of(), "/healthz",
        "ghcr.io/example/user-service:1.4.2", null, List.of("USER_DB_PASSWORD")));
    Path out = dir.resolve("out");
    MonitoringExport.builder().services(new Services(services))
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
