package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.MetricType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the metric contract of DESIGN.md: this table is written out by hand on purpose, so a change
 * to the catalogue that breaks the contract fails here, and the catalogue is checked against what
 * a live collector really registers.
 */
class MetricContractTest {

  private static final double[] NONE = {};

  static Stream<Arguments> contract() {
    return Stream.of(
        row("http_requests_total", MetricType.COUNTER, "method,endpoint,status_code", NONE),
        row("http_request_duration_seconds", MetricType.HISTOGRAM, "method,endpoint,status_code",
            .005, .01, .025, .05, .1, .25, .5, 1, 2, 2.5, 5, 10),
        row("http_request_size_bytes", MetricType.HISTOGRAM, "method,endpoint", 100, 1e3, 1e4, 1e5, 1e6),
        row("http_response_size_bytes", MetricType.HISTOGRAM, "method,endpoint,status_code", 100, 1e3, 1e4, 1e5, 1e6),
        row("errors_total", MetricType.COUNTER, "error_type,endpoint", NONE),
        row("active_connections", MetricType.GAUGE, "", NONE),
        row("business_operations_total", MetricType.COUNTER, "operation_type,status", NONE),
        row("business_operation_duration_seconds", MetricType.HISTOGRAM, "operation_type", .1, .5, 1, 2, 5, 10, 30, 60),
        row("service_info", MetricType.INFO, "version", NONE),
        row("airtable_api_requests_total", MetricType.COUNTER, "base_id,table_name,operation,status_code", NONE),
        row("airtable_api_duration_seconds", MetricType.HISTOGRAM, "base_id,table_name,operation",
            .05, .1, .25, .5, 1, 2, 5, 10, 30),
        row("airtable_rate_limit_hits_total", MetricType.COUNTER, "base_id,limit_type", NONE),
        row("airtable_rate_limit_remaining", MetricType.GAUGE, "base_id,limit_type", NONE),
        row("cache_operations_total", MetricType.COUNTER, "operation,result", NONE),
        row("cache_hit_ratio", MetricType.GAUGE, "", NONE),
        row("redis_operations_total", MetricType.COUNTER, "operation,result", NONE),
        row("redis_operation_duration_seconds", MetricType.HISTOGRAM, "operation",
            .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1),
        row("redis_connection_pool_size", MetricType.GAUGE, "pool_type", NONE),
        row("database_connections_active", MetricType.GAUGE, "pool", NONE),
        row("database_connections_idle", MetricType.GAUGE, "pool", NONE),
        row("database_connections_pending", MetricType.GAUGE, "pool", NONE),
        row("database_connections_max", MetricType.GAUGE, "pool", NONE),
        row("database_query_duration_seconds", MetricType.HISTOGRAM, "query_type", .01, .05, .1, .5, 1, 5, 10),
        row("circuit_breaker_state", MetricType.STATESET, "circuit_name", NONE),
        row("circuit_breaker_failures_total", MetricType.COUNTER, "circuit_name", NONE),
        row("airtable_cache_operations_total", MetricType.COUNTER, "operation,base_id,table_name,result", NONE),
        row("airtable_api_quota_usage", MetricType.GAUGE, "base_id,quota_type", NONE),
        row("airtable_request_queue_size", MetricType.GAUGE, "base_id", NONE),
        row("airtable_webhook_events_total", MetricType.COUNTER, "base_id,event_type,status", NONE),
        row("mcp_subprocess_count", MetricType.GAUGE, "process_type", NONE),
        row("mcp_subprocess_creation_total", MetricType.COUNTER, "process_type,status", NONE),
        row("mcp_subprocess_duration_seconds", MetricType.HISTOGRAM, "process_type",
            1, 5, 10, 30, 60, 300, 600, 1800, 3600),
        row("mcp_protocol_messages_total", MetricType.COUNTER, "message_type,direction,status", NONE),
        row("mcp_protocol_message_size_bytes", MetricType.HISTOGRAM, "message_type,direction", 100, 1e3, 1e4, 1e5, 1e6),
        row("mcp_tool_executions_total", MetricType.COUNTER, "tool_name,status", NONE),
        row("mcp_tool_execution_duration_seconds", MetricType.HISTOGRAM, "tool_name", .1, .5, 1, 5, 10, 30, 60, 300),
        row("gemini_requests_total", MetricType.COUNTER, "model,operation,status_code", NONE),
        row("gemini_request_duration_seconds", MetricType.HISTOGRAM, "model,operation", .5, 1, 2, 5, 10, 20, 30, 60),
        row("gemini_token_usage_total", MetricType.COUNTER, "model,token_type", NONE),
        row("llm_active_sessions", MetricType.GAUGE, "", NONE),
        row("llm_session_duration_seconds", MetricType.HISTOGRAM, "", 60, 300, 600, 1800, 3600, 7200, 14400),
        row("llm_conversation_turns_total", MetricType.COUNTER, "session_type", NONE),
        row("llm_message_length_chars", MetricType.HISTOGRAM, "message_type", 100, 500, 1e3, 5e3, 1e4, 5e4, 1e5),
        row("gateway_route_requests_total", MetricType.COUNTER, "source_service,target_service,route,status", NONE),
        row("gateway_route_duration_seconds", MetricType.HISTOGRAM, "source_service,target_service,route",
            .01, .05, .1, .25, .5, 1, 2.5, 5),
        row("gateway_backend_requests_total", MetricType.COUNTER, "backend_service,backend_instance,status", NONE),
        row("gateway_backend_health_status", MetricType.STATESET, "backend_service,backend_instance", NONE),
        row("gateway_auth_requests_total", MetricType.COUNTER, "auth_type,status", NONE));
  }

  private static Arguments row(String name, MetricType type, String labels, double... buckets) {
    List<String> labelNames = labels.isEmpty() ? List.of() : List.of(labels.split(","));
    return Arguments.of(name, type, labelNames, Arrays.stream(buckets).boxed().toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contract")
  void catalogueMatchesTheContract(String name, MetricType type, List<String> labels, List<Double> buckets) {
    MetricDefinition d = MetricCatalog.get(name);

    assertThat(d.type()).isEqualTo(type);
    assertThat(d.labelNames()).containsExactlyElementsOf(labels);
    assertThat(d.buckets()).containsExactlyElementsOf(buckets);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contract")
  void collectorRegistersEachFamilyWithContractTypeAndName(
      String name, MetricType type, List<String> labels, List<Double> buckets) {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("contract").jvmMetrics(false)
        .roles(MetricsConfig.ROLES.toArray(MetricGroup[]::new)).initialize();

    MetricSnapshot snapshot = collector.scrape().stream()
        .filter(s -> exposedName(s, type).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not registered"));

    Class<?> expected = switch (type) {
      case COUNTER -> CounterSnapshot.class;
      case GAUGE -> GaugeSnapshot.class;
      case HISTOGRAM -> HistogramSnapshot.class;
      case INFO -> InfoSnapshot.class;
      case STATESET -> StateSetSnapshot.class;
      case SUMMARY -> throw new AssertionError("the contract has no summary");
    };
    assertThat(snapshot).isInstanceOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contract")
  void stateSetsDeclareTheContractStates(String name, MetricType type, List<String> labels, List<Double> buckets) {
    MetricDefinition d = MetricCatalog.get(name);
    if (name.equals("circuit_breaker_state")) {
      assertThat(d.states()).containsExactly("closed", "open", "half_open");
    } else if (name.equals("gateway_backend_health_status")) {
      assertThat(d.states()).containsExactly("healthy", "unhealthy", "unknown");
    } else {
      assertThat(d.states()).isEmpty();
    }
  }

  private static String exposedName(MetricSnapshot s, MetricType type) {
    String base = s.getMetadata().getPrometheusName();
    return switch (type) {
      case COUNTER -> base + "_total";
      case INFO -> base + "_info";
      default -> base;
    };
  }
}
