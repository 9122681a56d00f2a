package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.pyairtable.metrics.monitoring.promql.Promql;

/**
 * The MCP server: subprocesses, JSON-RPC protocol messages and tool executions.
 *
 * <pre>{@code
 * ObjectNode json = McpServerDashboard.build().toJson();
 * }</pre>
 */
public final class McpServerDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-mcp-server";

  private McpServerDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    return new Dashboard(UID, "PyAirtable MCP Server",
        "Subprocess management, tool execution and protocol messages of the MCP server.")
        .tag("mcp")
        .panel(panels.gauge("Live subprocesses", "sum", MCP_SUBPROCESS_COUNT, "process_type"))
        .panel(panels.rate("Subprocess starts", MCP_SUBPROCESS_CREATION_TOTAL, "ops", "process_type", "status"))
        .panel(panels.p95("Subprocess lifetime", MCP_SUBPROCESS_DURATION_SECONDS, "process_type"))
        .panel(panels.rate("Protocol messages", MCP_PROTOCOL_MESSAGES_TOTAL, "ops", "message_type", "direction",
            "status"))
        .panel(panels.p95("Protocol message size", MCP_PROTOCOL_MESSAGE_SIZE_BYTES, "direction"))
        .panel(panels.rate("Tool executions", MCP_TOOL_EXECUTIONS_TOTAL, "ops", "tool_name", "status"))
        .panel(panels.quantiles("Tool execution duration", MCP_TOOL_EXECUTION_DURATION_SECONDS, "tool_name")
            .width(24));
  }
}
