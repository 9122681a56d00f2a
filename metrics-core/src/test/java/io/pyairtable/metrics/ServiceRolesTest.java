package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceRolesTest {

  private static Set<String> exposedBaseNames(MetricsCollector collector) {
    return collector.scrape().stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static Set<String> baseNames(MetricGroup group) {
    return MetricCatalog.byGroup(group).stream().map(MetricDefinition::baseName).collect(Collectors.toSet());
  }

  @Test
  void aServiceWithoutRolesExposesNoFamilyOfAnyServiceGroup() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("user-service").jvmMetrics(false).initialize();

    Set<String> exposed = exposedBaseNames(collector);

    for (MetricGroup role : MetricsConfig.ROLES) {
      assertThat(exposed).doesNotContainAnyElementsOf(baseNames(role));
    }
    assertThat(exposed).contains("http_requests", "business_operations", "circuit_breaker_state", "cache_hit_ratio",
        "metrics_internal_errors", "service");
    assertThat(collector.exportMetrics()).doesNotContain("llm_active_sessions", "llm_session_duration_seconds",
        "metric=\"mcp_tool_executions_total\"");
    assertThat(collector.registry().roles()).isEmpty();
  }

  @Test
  void aDeclaredRoleExposesItsGroupBeforeTheFirstRecordAndOnlyThatGroup() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("llm-orchestrator").jvmMetrics(false)
        .roles(MetricGroup.LLM_ORCHESTRATOR).initialize();

    Set<String> exposed = exposedBaseNames(collector);

    assertThat(exposed).containsAll(baseNames(MetricGroup.LLM_ORCHESTRATOR));
    assertThat(exposed).doesNotContainAnyElementsOf(baseNames(MetricGroup.MCP_SERVER));
    assertThat(collector.exportMetrics().lines()).contains("llm_active_sessions{service=\"llm-orchestrator\"} 0.0");
    assertThat(collector.registry().roles()).containsExactly(MetricGroup.LLM_ORCHESTRATOR);
  }

  @Test
  void theFirstRecordIntoAGroupExposesTheWholeGroup() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("tools").jvmMetrics(false).initialize();

    collector.mcpServer().recordToolExecution("list_files", true, 0.5);

    Set<String> exposed = exposedBaseNames(collector);
    assertThat(exposed).containsAll(baseNames(MetricGroup.MCP_SERVER));
    assertThat(exposed).doesNotContainAnyElementsOf(baseNames(MetricGroup.API_GATEWAY));
    assertThat(collector.exportMetrics().lines())
        .contains("mcp_tool_executions_total{service=\"tools\",status=\"success\",tool_name=\"list_files\"} 1.0");
  }

  @Test
  void aStateSetOfAGroupAndAPreboundGaugeOpenTheirGroupsOnFirstUse() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("edge").jvmMetrics(false).initialize();

    collector.apiGateway().updateBackendHealth("airtable-gateway", "10.0.0.1:8002", BackendHealth.HEALTHY);
    collector.llmOrchestrator().sessionStarted();

    assertThat(collector.exportMetrics().lines()).contains(
        "gateway_backend_health_status{backend_instance=\"10.0.0.1:8002\",backend_service=\"airtable-gateway\","
            + "service=\"edge\",gateway_backend_health_status=\"healthy\"} 1",
        "llm_active_sessions{service=\"edge\"} 1.0");
    assertThat(collector.registry().roles()).containsExactlyInAnyOrder(MetricGroup.API_GATEWAY,
        MetricGroup.LLM_ORCHESTRATOR);
  }

  @Test
  void rolesAreReadFromTheEnvironmentAndAnInvalidOneNamesTheVariable() {
    MetricsCollector collector = Metrics.builder(Map.of("METRICS_SERVICE_ROLES", "mcp-server, api_gateway"))
        .serviceName("both").jvmMetrics(false).initialize();

    assertThat(collector.config().roles()).containsExactlyInAnyOrder(MetricGroup.MCP_SERVER, MetricGroup.API_GATEWAY);
    assertThatThrownBy(() -> Metrics.builder(Map.of("METRICS_SERVICE_ROLES", "mcp_server,cache")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("METRICS_SERVICE_ROLES=\"cache\" is invalid: expected a comma list of airtable_gateway,"
            + " mcp_server, llm_orchestrator, api_gateway");
  }

  @Test
  void aGroupThatIsNotARoleCannotBeDeclared() {
    assertThatThrownBy(() -> Metrics.builder(Map.of()).roles(MetricGroup.CACHE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CACHE is not a service role; roles are [AIRTABLE_GATEWAY, MCP_SERVER, LLM_ORCHESTRATOR, API_GATEWAY]");
  }

  @Test
  void declaringARoleLaterExposesItsFamiliesWithTheirValues() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("late").jvmMetrics(false).initialize();

    collector.registry().declareRole(MetricGroup.AIRTABLE_GATEWAY);

    List<MetricSnapshot> gateway = collector.scrape().stream()
        .filter(s -> baseNames(MetricGroup.AIRTABLE_GATEWAY).contains(s.getMetadata().getName())).toList();
    assertThat(gateway).hasSize(MetricCatalog.byGroup(MetricGroup.AIRTABLE_GATEWAY).size());
  }
}
