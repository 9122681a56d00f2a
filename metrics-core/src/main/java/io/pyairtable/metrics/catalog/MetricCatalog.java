package io.pyairtable.metrics.catalog;

import static io.pyairtable.metrics.catalog.MetricGroup.*;
import static io.pyairtable.metrics.catalog.MetricType.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metric contract: every family the library exposes, defined once. The collector builds its
 * metrics from these definitions, and dashboards, alert rules, docs and tests reference the
 * constants, so renaming a family here changes (or breaks the build of) everything that reads it.
 *
 * <pre>{@code
 * MetricDefinition d = MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
 * String p95 = "histogram_quantile(0.95, sum by (service, le) (rate(" + d.bucket() + "[5m])))";
 * }</pre>
 */
public final class MetricCatalog {

  private static final String[] NONE = {};
  private static final double[] NO_BUCKETS = {};

  /** Buckets shared by the byte-size histograms. */
  static final double[] SIZE_BUCKETS = {100, 1e3, 1e4, 1e5, 1e6};

  private static final Map<String, MetricDefinition> BY_NAME = new LinkedHashMap<>();

  // --- HTTP -------------------------------------------------------------------------------------
  public static final MetricDefinition HTTP_REQUESTS_TOTAL = counter("http_requests_total", HTTP,
      "HTTP requests handled, by method, route template (unmatched when no route matched) and final status code; "
          + "499 when the client closed the connection before the answer.",
      "method", "endpoint", "status_code");
  /** The one family with exemplars: each record offers the request's correlation id. */
  public static final MetricDefinition HTTP_REQUEST_DURATION_SECONDS = define(MetricDefinition.of(
      "http_request_duration_seconds", HISTOGRAM, HTTP, "s",
      "HTTP request duration from the first byte read to the last byte written.",
      labels("method", "endpoint", "status_code"), new double[] {.005, .01, .025, .05, .1, .25, .5, 1, 2, 2.5, 5, 10})
      .withExemplars());
  public static final MetricDefinition HTTP_REQUEST_SIZE_BYTES = histogram("http_request_size_bytes", HTTP,
      "bytes", "HTTP request body size in bytes, as read.", labels("method", "endpoint"), SIZE_BUCKETS);
  public static final MetricDefinition HTTP_RESPONSE_SIZE_BYTES = histogram("http_response_size_bytes", HTTP,
      "bytes", "HTTP response body size in bytes, as written.", labels("method", "endpoint", "status_code"),
      SIZE_BUCKETS);
  public static final MetricDefinition ERRORS_TOTAL = counter("errors_total", HTTP,
      "Errors by type (exception class simple name, http_5xx, client_abort for a client that closed the connection, "
          + "client_timeout for one too slow to send its request) and route template.", "error_type", "endpoint");
  public static final MetricDefinition ACTIVE_CONNECTIONS = gauge("active_connections", HTTP, "short",
      "HTTP requests in flight.");

  // --- business -----------------------------------------------------------------------------------
  public static final MetricDefinition BUSINESS_OPERATIONS_TOTAL = counter("business_operations_total", BUSINESS,
      "Business operations by type and outcome (success, failure).", "operation_type", "status");
  public static final MetricDefinition BUSINESS_OPERATION_DURATION_SECONDS = histogram(
      "business_operation_duration_seconds", BUSINESS, "s", "Business operation duration.",
      labels("operation_type"), .1, .5, 1, 2, 5, 10, 30, 60);
  public static final MetricDefinition SERVICE_INFO = define(MetricDefinition.of("service_info", INFO, SERVICE,
      "short", "Service identity: version and build information.", labels("version"), NO_BUCKETS));

  // --- Airtable API -------------------------------------------------------------------------------
  public static final MetricDefinition AIRTABLE_API_REQUESTS_TOTAL = counter("airtable_api_requests_total",
      AIRTABLE, "Calls to the Airtable Web API by base, table, operation and status code.",
      "base_id", "table_name", "operation", "status_code");
  public static final MetricDefinition AIRTABLE_API_DURATION_SECONDS = histogram("airtable_api_duration_seconds",
      AIRTABLE, "s", "Airtable Web API call duration.", labels("base_id", "table_name", "operation"),
      .05, .1, .25, .5, 1, 2, 5, 10, 30);
  public static final MetricDefinition AIRTABLE_RATE_LIMIT_HITS_TOTAL = counter("airtable_rate_limit_hits_total",
      AIRTABLE, "Requests refused by a rate limit: base (5/s), token (50/s) or upstream_429.",
      "base_id", "limit_type");
  public static final MetricDefinition AIRTABLE_RATE_LIMIT_REMAINING = gauge("airtable_rate_limit_remaining",
      AIRTABLE, "short", "Requests left in the current rate-limit window.", "base_id", "limit_type");

  // --- caches -------------------------------------------------------------------------------------
  public static final MetricDefinition CACHE_OPERATIONS_TOTAL = counter("cache_operations_total", CACHE,
      "Cache operations (get, put, evict, ...) by result (hit, miss, success, ...).", "operation", "result");
  public static final MetricDefinition CACHE_HIT_RATIO = gauge("cache_hit_ratio", CACHE, "percentunit",
      "Share of cache lookups that hit, 0 to 1.");

  // --- Redis --------------------------------------------------------------------------------------
  public static final MetricDefinition REDIS_OPERATIONS_TOTAL = counter("redis_operations_total", REDIS,
      "Redis commands by command name and result (success, error).", "operation", "result");
  public static final MetricDefinition REDIS_OPERATION_DURATION_SECONDS = histogram(
      "redis_operation_duration_seconds", REDIS, "s", "Redis command duration.", labels("operation"),
      .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1);
  public static final MetricDefinition REDIS_CONNECTION_POOL_SIZE = gauge("redis_connection_pool_size", REDIS,
      "short", "Redis connections, by pool type.", "pool_type");

  // --- database -----------------------------------------------------------------------------------
  public static final MetricDefinition DATABASE_CONNECTIONS_ACTIVE = gauge("database_connections_active", DATABASE,
      "short", "Database connections in use.", "pool");
  public static final MetricDefinition DATABASE_CONNECTIONS_IDLE = gauge("database_connections_idle", DATABASE,
      "short", "Idle database connections.", "pool");
  public static final MetricDefinition DATABASE_CONNECTIONS_PENDING = gauge("database_connections_pending",
      DATABASE, "short", "Threads waiting for a database connection.", "pool");
  public static final MetricDefinition DATABASE_CONNECTIONS_MAX = gauge("database_connections_max", DATABASE,
      "short", "Maximum size of the database connection pool.", "pool");
  public static final MetricDefinition DATABASE_QUERY_DURATION_SECONDS = histogram(
      "database_query_duration_seconds", DATABASE, "s", "Database query duration.", labels("query_type"),
      .01, .05, .1, .5, 1, 5, 10);
  public static final MetricDefinition DATABASE_CONNECTION_ACQUIRE_SECONDS = histogram(
      "database_connection_acquire_seconds", DATABASE, "s", "Time to obtain a connection from the pool.",
      labels("pool"), .0005, .001, .005, .01, .05, .1, .5, 1, 5, 30);
  public static final MetricDefinition DATABASE_CONNECTION_USAGE_SECONDS = histogram(
      "database_connection_usage_seconds", DATABASE, "s", "Time a connection was held before being returned.",
      labels("pool"), .001, .005, .01, .05, .1, .5, 1, 5, 10, 60);
  public static final MetricDefinition DATABASE_CONNECTION_CREATION_SECONDS = histogram(
      "database_connection_creation_seconds", DATABASE, "s", "Time to open a new physical connection.",
      labels("pool"), .001, .005, .01, .05, .1, .5, 1, 5);
  public static final MetricDefinition DATABASE_CONNECTION_TIMEOUTS_TOTAL = counter(
      "database_connection_timeouts_total", DATABASE, "Connection requests that timed out waiting for the pool.",
      "pool");

  // --- circuit breakers ---------------------------------------------------------------------------
  public static final MetricDefinition CIRCUIT_BREAKER_STATE = define(MetricDefinition.of("circuit_breaker_state",
      STATESET, CIRCUIT_BREAKER, "short", "Current circuit breaker state; exactly one state is 1.",
      labels("circuit_name"), NO_BUCKETS, "closed", "open", "half_open"));
  public static final MetricDefinition CIRCUIT_BREAKER_FAILURES_TOTAL = counter("circuit_breaker_failures_total",
      CIRCUIT_BREAKER, "Calls the circuit breaker recorded as failures.", "circuit_name");
  public static final MetricDefinition CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL = counter(
      "circuit_breaker_rejected_calls_total", CIRCUIT_BREAKER,
      "Calls refused without being attempted because the breaker was open.", "circuit_name");
  public static final MetricDefinition CIRCUIT_BREAKER_TRANSITIONS_TOTAL = counter(
      "circuit_breaker_transitions_total", CIRCUIT_BREAKER, "Circuit breaker state transitions.",
      "circuit_name", "from_state", "to_state");

  // --- Airtable gateway ---------------------------------------------------------------------------
  public static final MetricDefinition AIRTABLE_CACHE_OPERATIONS_TOTAL = counter("airtable_cache_operations_total",
      AIRTABLE_GATEWAY, "Airtable response cache operations by base, table and result.",
      "operation", "base_id", "table_name", "result");
  public static final MetricDefinition AIRTABLE_API_QUOTA_USAGE = gauge("airtable_api_quota_usage",
      AIRTABLE_GATEWAY, "percent", "Share of an Airtable quota in use, in percent (0-100).", "base_id",
      "quota_type");
  public static final MetricDefinition AIRTABLE_REQUEST_QUEUE_SIZE = gauge("airtable_request_queue_size",
      AIRTABLE_GATEWAY, "short", "Requests waiting for an Airtable rate-limit slot.", "base_id");
  public static final MetricDefinition AIRTABLE_WEBHOOK_EVENTS_TOTAL = counter("airtable_webhook_events_total",
      AIRTABLE_GATEWAY, "Airtable webhook notifications received, by event type and status.",
      "base_id", "event_type", "status");
  public static final MetricDefinition AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL = counter(
      "airtable_rate_limiter_fallback_total", AIRTABLE_GATEWAY,
      "Rate-limit decisions taken in-process because Redis was unreachable, by mode (fail_open, fail_closed).",
      "mode");
  public static final MetricDefinition AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL = counter(
      "airtable_request_queue_dropped_total", AIRTABLE_GATEWAY,
      "Requests answered 503 without calling Airtable, by reason (deadline, queue_full, shutdown).", "reason");

  // --- MCP server ---------------------------------------------------------------------------------
  public static final MetricDefinition MCP_SUBPROCESS_COUNT = gauge("mcp_subprocess_count", MCP_SERVER, "short",
      "Live subprocesses by process type.", "process_type");
  public static final MetricDefinition MCP_SUBPROCESS_CREATION_TOTAL = counter("mcp_subprocess_creation_total",
      MCP_SERVER, "Subprocess start attempts by process type and status.", "process_type", "status");
  public static final MetricDefinition MCP_SUBPROCESS_DURATION_SECONDS = histogram(
      "mcp_subprocess_duration_seconds", MCP_SERVER, "s", "Subprocess lifetime, start to exit.",
      labels("process_type"), 1, 5, 10, 30, 60, 300, 600, 1800, 3600);
  public static final MetricDefinition MCP_PROTOCOL_MESSAGES_TOTAL = counter("mcp_protocol_messages_total",
      MCP_SERVER, "MCP JSON-RPC messages by method, direction (inbound, outbound) and status.",
      "message_type", "direction", "status");
  public static final MetricDefinition MCP_PROTOCOL_MESSAGE_SIZE_BYTES = histogram(
      "mcp_protocol_message_size_bytes", MCP_SERVER, "bytes", "MCP message size in bytes.",
      labels("message_type", "direction"), SIZE_BUCKETS);
  public static final MetricDefinition MCP_TOOL_EXECUTIONS_TOTAL = counter("mcp_tool_executions_total",
      MCP_SERVER, "MCP tool executions by tool and status.", "tool_name", "status");
  public static final MetricDefinition MCP_TOOL_EXECUTION_DURATION_SECONDS = histogram(
      "mcp_tool_execution_duration_seconds", MCP_SERVER, "s", "MCP tool execution duration.",
      labels("tool_name"), .1, .5, 1, 5, 10, 30, 60, 300);

  // --- LLM orchestrator ---------------------------------------------------------------------------
  public static final MetricDefinition GEMINI_REQUESTS_TOTAL = counter("gemini_requests_total", LLM_ORCHESTRATOR,
      "Gemini API calls by model, operation and status code.", "model", "operation", "status_code");
  public static final MetricDefinition GEMINI_REQUEST_DURATION_SECONDS = histogram(
      "gemini_request_duration_seconds", LLM_ORCHESTRATOR, "s", "Gemini API call duration.",
      labels("model", "operation"), .5, 1, 2, 5, 10, 20, 30, 60);
  public static final MetricDefinition GEMINI_TOKEN_USAGE_TOTAL = counter("gemini_token_usage_total",
      LLM_ORCHESTRATOR, "Gemini tokens by model and type (input, output, cached, thoughts).", "model",
      "token_type");
  public static final MetricDefinition LLM_ACTIVE_SESSIONS = gauge("llm_active_sessions", LLM_ORCHESTRATOR,
      "short", "Open chat sessions.");
  public static final MetricDefinition LLM_SESSION_DURATION_SECONDS = histogram("llm_session_duration_seconds",
      LLM_ORCHESTRATOR, "s", "Chat session duration, creation to end.", NONE,
      60, 300, 600, 1800, 3600, 7200, 14400);
  public static final MetricDefinition LLM_CONVERSATION_TURNS_TOTAL = counter("llm_conversation_turns_total",
      LLM_ORCHESTRATOR, "Conversation turns by session type.", "session_type");
  public static final MetricDefinition LLM_MESSAGE_LENGTH_CHARS = histogram("llm_message_length_chars",
      LLM_ORCHESTRATOR, "short", "Message length in characters by message type (input, output).",
      labels("message_type"), 100, 500, 1e3, 5e3, 1e4, 5e4, 1e5);
  public static final MetricDefinition LLM_ESTIMATED_COST_USD_TOTAL = counter("llm_estimated_cost_usd_total",
      LLM_ORCHESTRATOR, "Estimated LLM spend in US dollars, from the configured price table.", "model",
      "token_type");

  // --- API gateway --------------------------------------------------------------------------------
  public static final MetricDefinition GATEWAY_ROUTE_REQUESTS_TOTAL = counter("gateway_route_requests_total",
      API_GATEWAY, "Requests routed by the API gateway, by source, target, route and status.",
      "source_service", "target_service", "route", "status");
  public static final MetricDefinition GATEWAY_ROUTE_DURATION_SECONDS = histogram(
      "gateway_route_duration_seconds", API_GATEWAY, "s", "Routed request duration, including the backend call.",
      labels("source_service", "target_service", "route"), .01, .05, .1, .25, .5, 1, 2.5, 5);
  public static final MetricDefinition GATEWAY_BACKEND_REQUESTS_TOTAL = counter("gateway_backend_requests_total",
      API_GATEWAY, "Requests sent to backends by service, instance and status.", "backend_service",
      "backend_instance", "status");
  public static final MetricDefinition GATEWAY_BACKEND_HEALTH_STATUS = define(MetricDefinition.of(
      "gateway_backend_health_status", STATESET, API_GATEWAY, "short",
      "Backend health from the periodic checks; exactly one state is 1.",
      labels("backend_service", "backend_instance"), NO_BUCKETS, "healthy", "unhealthy", "unknown"));
  public static final MetricDefinition GATEWAY_AUTH_REQUESTS_TOTAL = counter("gateway_auth_requests_total",
      API_GATEWAY, "Authentication checks by type and status.", "auth_type", "status");

  // --- the metrics layer --------------------------------------------------------------------------
  public static final MetricDefinition METRICS_CARDINALITY_OVERFLOW_TOTAL = counter(
      "metrics_cardinality_overflow_total", SELF,
      "Records folded into the overflow series because a family reached its series budget.", "metric");
  public static final MetricDefinition METRICS_INTERNAL_ERRORS_TOTAL = counter("metrics_internal_errors_total",
      SELF, "Failures inside the metrics layer, contained instead of thrown into the caller.", "operation");
  public static final MetricDefinition ACCESS_LOG_DROPPED_LINES_TOTAL = counter("access_log_dropped_lines_total",
      SELF, "Access-log lines the file writer did not write, by reason: queue_full (the disk did not keep up), "
          + "write_failed (a write to the file failed), closed (a line after the writer was closed).", "reason");
  public static final MetricDefinition METRICS_SCRAPE_DURATION_SECONDS = histogram("metrics_scrape_duration_seconds",
      SELF, "s", "Time to serve one scrape of the metrics endpoint.", NONE,
      .001, .005, .01, .025, .05, .1, .25, .5, 1);

  private static final List<MetricDefinition> ALL = Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));

  private MetricCatalog() {}

  /** Every family of the contract, in catalogue order. */
  public static List<MetricDefinition> all() {
    return ALL;
  }

  /** The families of one group, in catalogue order. */
  public static List<MetricDefinition> byGroup(MetricGroup group) {
    return ALL.stream().filter(d -> d.group() == group).toList();
  }

  /** The family exposed under {@code name}, if the catalogue has one. */
  public static Optional<MetricDefinition> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The family exposed under {@code name}; fails naming the unknown family. */
  public static MetricDefinition get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("no metric family named " + name
        + " in the catalogue"));
  }

  private static String[] labels(String... names) {
    return names;
  }

  private static MetricDefinition counter(String name, MetricGroup group, String help, String... labels) {
    return define(MetricDefinition.of(name, COUNTER, group, "short", help, labels, NO_BUCKETS));
  }

  private static MetricDefinition gauge(String name, MetricGroup group, String unit, String help, String... labels) {
    return define(MetricDefinition.of(name, GAUGE, group, unit, help, labels, NO_BUCKETS));
  }

  private static MetricDefinition histogram(
      String name, MetricGroup group, String unit, String help, String[] labels, double... buckets) {
    return define(MetricDefinition.of(name, HISTOGRAM, group, unit, help, labels, buckets));
  }

  private static MetricDefinition define(MetricDefinition definition) {
    if (BY_NAME.putIfAbsent(definition.name(), definition) != null) {
      throw new IllegalStateException("metric family defined twice: " + definition.name());
    }
    return definition;
  }
}
