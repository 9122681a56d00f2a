package io.pyairtable.metrics.http.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.MetricsConfig;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /metrics/summary lists only the families a service can have: no service-role group it did not take. */
class MetricsSummaryRolesTest {

  private static Set<String> families(MetricsCollector collector) throws Exception {
    JsonNode root = new ObjectMapper().readTree(MetricsSummary.json(collector));
    Set<String> names = new HashSet<>();
    root.get("families").forEach(f -> names.add(f.get("name").asText()));
    return names;
  }

  private static Set<String> roleFamilies() {
    Set<String> names = new HashSet<>();
    for (MetricDefinition d : MetricCatalog.all()) {
      if (d.group().serviceRole()) {
        names.add(d.name());
      }
    }
    return names;
  }

  @Test
  void aGenericServiceListsNoFamilyOfAServiceRole() throws Exception {
    MetricsCollector generic = Metrics.builder(Map.of()).serviceName("user-service").jvmMetrics(false).initialize();

    Set<String> listed = families(generic);

    assertThat(listed).doesNotContainAnyElementsOf(roleFamilies())
        .contains("http_requests_total", "errors_total", "business_operations_total", "service_info");
  }

  @Test
  void aServiceListsTheFamiliesOfTheRolesItTookAndOnlyThose() throws Exception {
    MetricsCollector llm = Metrics.builder(Map.of()).serviceName("llm-orchestrator").jvmMetrics(false)
        .roles(MetricGroup.LLM_ORCHESTRATOR).initialize();
    MetricsCollector all = Metrics.builder(Map.of()).serviceName("everything").jvmMetrics(false)
        .roles(MetricsConfig.ROLES.toArray(MetricGroup[]::new)).initialize();

    Set<String> listed = families(llm);
    Set<String> llmFamilies = new HashSet<>();
    MetricCatalog.byGroup(MetricGroup.LLM_ORCHESTRATOR).forEach(d -> llmFamilies.add(d.name()));
    Set<String> otherRoles = new HashSet<>(roleFamilies());
    otherRoles.removeAll(llmFamilies);

    assertThat(listed).containsAll(llmFamilies).doesNotContainAnyElementsOf(otherRoles);
    assertThat(families(all)).containsAll(roleFamilies().stream()
        .filter(n -> !n.equals(MetricCatalog.GATEWAY_BACKEND_HEALTH_STATUS.name())).toList());
  }
}
