package io.pyairtable.metrics.monitoring.grafana;

import java.util.List;

/**
 * The seven PyAirtable dashboards, in menu order.
 *
 * <pre>{@code
 * for (Dashboard d : Dashboards.all()) {
 *   Files.writeString(dir.resolve(d.fileName()), d.toJson().toPrettyString());
 * }
 * }</pre>
 */
public final class Dashboards {

  private Dashboards() {}

  /** The seven dashboards, their {@code service} variable listing {@code services}. */
  public static List<Dashboard> all(List<String> services) {
    return all().stream().map(d -> d.services(services)).toList();
  }

  /** Overview, Airtable Gateway, MCP Server, LLM Orchestrator, API Gateway, Infrastructure, SLA Monitoring. */
  public static List<Dashboard> all() {
    return List.of(
        OverviewDashboard.build(),
        AirtableGatewayDashboard.build(),
        McpServerDashboard.build(),
        LlmOrchestratorDashboard.build(),
        ApiGatewayDashboard.build(),
        InfrastructureDashboard.build(),
        SlaDashboard.build());
  }
}
