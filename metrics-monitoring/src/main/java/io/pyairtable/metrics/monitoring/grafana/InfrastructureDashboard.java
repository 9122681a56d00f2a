package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.Promql;

/**
 * Shared infrastructure: Redis commands and pool, database pool and queries, circuit breakers and
 * the health of the metrics layer itself.
 *
 * <pre>{@code
 * ObjectNode json = InfrastructureDashboard.build().toJson();
 * }</pre>
 */
public final class InfrastructureDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-infrastructure";

  private InfrastructureDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    Promql q = panels.promql();
    return new Dashboard(UID, "PyAirtable Infrastructure",
        "Redis, database pools, circuit breakers and the metrics layer itself.")
        .tag("infrastructure")
        .panel(panels.rate("Redis commands", REDIS_OPERATIONS_TOTAL, "ops", "operation", "result"))
        .panel(panels.quantiles("Redis command latency", REDIS_OPERATION_DURATION_SECONDS, "operation"))
        .panel(panels.gauge("Redis connections", "sum", REDIS_CONNECTION_POOL_SIZE, "pool_type"))
        .panel(Panel.timeseries("Database pool",
                "Database connections in use, idle, waited for, and the pool maximum, by service and pool.",
                DATABASE_CONNECTIONS_ACTIVE.unit())
            .query(Query.range(q.gauge("sum", by("service", "pool"), DATABASE_CONNECTIONS_ACTIVE),
                "active {{service}} {{pool}}"))
            .query(Query.range(q.gauge("sum", by("service", "pool"), DATABASE_CONNECTIONS_IDLE),
                "idle {{service}} {{pool}}"))
            .query(Query.range(q.gauge("sum", by("service", "pool"), DATABASE_CONNECTIONS_PENDING),
                "pending {{service}} {{pool}}"))
            .query(Query.range(q.gauge("sum", by("service", "pool"), DATABASE_CONNECTIONS_MAX),
                "max {{service}} {{pool}}")))
        .panel(panels.quantiles("Database query duration", DATABASE_QUERY_DURATION_SECONDS, "query_type"))
        .panel(panels.p95("Connection acquire time", DATABASE_CONNECTION_ACQUIRE_SECONDS, "pool"))
        .panel(panels.p95("Connection hold time", DATABASE_CONNECTION_USAGE_SECONDS, "pool"))
        .panel(panels.p95("Connection creation time", DATABASE_CONNECTION_CREATION_SECONDS, "pool"))
        .panel(panels.rate("Connection timeouts", DATABASE_CONNECTION_TIMEOUTS_TOTAL, "ops", "pool"))
        .panel(panels.currentState("Circuit breaker state", CIRCUIT_BREAKER_STATE, "circuit_name"))
        .panel(panels.rate("Circuit breaker failures", CIRCUIT_BREAKER_FAILURES_TOTAL, "ops", "circuit_name"))
        .panel(panels.rate("Calls rejected by open breakers", CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL, "ops",
            "circuit_name"))
        .panel(panels.rate("Circuit breaker transitions", CIRCUIT_BREAKER_TRANSITIONS_TOTAL, "ops", "circuit_name",
            "to_state"))
        .panel(panels.rate("Series budget overflow", METRICS_CARDINALITY_OVERFLOW_TOTAL, "ops", "metric"))
        .panel(panels.rateOfFailures("Metrics layer errors", METRICS_INTERNAL_ERRORS_TOTAL, "ops", "operation"))
        .panel(panels.rateOfFailures("Access-log lines dropped", ACCESS_LOG_DROPPED_LINES_TOTAL, "ops", "reason"))
        .panel(panels.p95("Scrape duration", METRICS_SCRAPE_DURATION_SECONDS));
  }
}
