package io.pyairtable.metrics.catalog;

/**
 * Which part of the system a family belongs to; dashboards and docs are organised by group.
 *
 * <pre>{@code
 * List<MetricDefinition> mcp = MetricCatalog.byGroup(MetricGroup.MCP_SERVER);
 * }</pre>
 */
public enum MetricGroup {
  HTTP("HTTP requests"),
  BUSINESS("Business operations"),
  SERVICE("Service identity"),
  AIRTABLE("Airtable API"),
  CACHE("Caches"),
  REDIS("Redis"),
  DATABASE("Database"),
  CIRCUIT_BREAKER("Circuit breakers"),
  AIRTABLE_GATEWAY("Airtable gateway"),
  MCP_SERVER("MCP server"),
  LLM_ORCHESTRATOR("LLM orchestrator"),
  API_GATEWAY("API gateway"),
  SELF("The metrics layer itself");

  private final String title;

  MetricGroup(String title) {
    this.title = title;
  }

  /**
   * True for the groups of one kind of PyAirtable service (Airtable gateway, MCP server, LLM
   * orchestrator, API gateway): a collector exposes them only once the service declares the role
   * or records into the group. The other groups are exposed by every service.
   */
  public boolean serviceRole() {
    return this == AIRTABLE_GATEWAY || this == MCP_SERVER || this == LLM_ORCHESTRATOR || this == API_GATEWAY;
  }

  /** A human title, used as a section heading in docs and dashboards. */
  public String title() {
    return title;
  }
}
