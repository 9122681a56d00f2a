package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.Observations;

/**
 * Metrics of an MCP server: subprocesses, protocol messages and tool executions.
 *
 * <pre>{@code
 * McpServerMetrics mcp = collector.mcpServer();
 * mcp.recordSubprocessCreation("tool_executor", true);
 * mcp.recordProtocolMessage("tools/call", "inbound", "success", 312);
 * mcp.recordToolExecution("list_files", "success", 0.012);
 * }</pre>
 */
public final class McpServerMetrics extends DomainRecorder {

  private final MetricFamily<GaugeDataPoint> subprocessCount;
  private final MetricFamily<CounterDataPoint> subprocessCreation;
  private final MetricFamily<DistributionDataPoint> subprocessDuration;
  private final MetricFamily<CounterDataPoint> messages;
  private final MetricFamily<DistributionDataPoint> messageSize;
  private final MetricFamily<CounterDataPoint> toolExecutions;
  private final MetricFamily<DistributionDataPoint> toolDuration;

  McpServerMetrics(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    super(registry, enabled, failures);
    subprocessCount = registry.family(MCP_SUBPROCESS_COUNT);
    subprocessCreation = registry.family(MCP_SUBPROCESS_CREATION_TOTAL);
    subprocessDuration = registry.family(MCP_SUBPROCESS_DURATION_SECONDS);
    messages = registry.family(MCP_PROTOCOL_MESSAGES_TOTAL);
    messageSize = registry.family(MCP_PROTOCOL_MESSAGE_SIZE_BYTES);
    toolExecutions = registry.family(MCP_TOOL_EXECUTIONS_TOTAL);
    toolDuration = registry.family(MCP_TOOL_EXECUTION_DURATION_SECONDS);
  }

  /** One subprocess start attempt. */
  public void recordSubprocessCreation(String processType, boolean success) {
    if (!enabled) {
      return;
    }
    try {
      subprocessCreation.labels(processType, outcome(success)).inc();
    } catch (RuntimeException e) {
      failures.contain("record_subprocess_creation", e);
    }
  }

  /** Live subprocesses of a type. */
  public void updateSubprocessCount(String processType, int count) {
    if (!enabled) {
      return;
    }
    try {
      subprocessCount.labels(processType).set(Observations.nonNegative("subprocess count", count));
    } catch (RuntimeException e) {
      failures.contain("update_subprocess_count", e);
    }
  }

  /** The lifetime of a subprocess that exited. */
  public void recordSubprocessDuration(String processType, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      subprocessDuration.labels(processType).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_subprocess_duration", e);
    }
  }

  /** One JSON-RPC message: its method (or {@code response}), direction (inbound, outbound), status and size. */
  public void recordProtocolMessage(String messageType, String direction, String status, long sizeBytes) {
    if (!enabled) {
      return;
    }
    try {
      messages.labels(messageType, direction, status).inc();
      if (sizeBytes >= 0) {
        messageSize.labels(messageType, direction).observe(sizeBytes);
      }
    } catch (RuntimeException e) {
      failures.contain("record_protocol_message", e);
    }
  }

  /** One tool execution with its status ({@code success}, {@code error}, {@code timeout}, ...). */
  public void recordToolExecution(String toolName, String status, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      toolExecutions.labels(toolName, status).inc();
      toolDuration.labels(toolName).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_tool_execution", e);
    }
  }

  /** One tool execution, {@code success} or {@code failure}. */
  public void recordToolExecution(String toolName, boolean success, double durationSeconds) {
    recordToolExecution(toolName, outcome(success), durationSeconds);
  }
}
