package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.Observations;

/**
 * Redis, database-pool and circuit-breaker metrics. The integrations module feeds these from
 * Lettuce, HikariCP and Resilience4j; call them directly for other clients.
 *
 * <pre>{@code
 * InfrastructureMetrics infra = collector.infrastructure();
 * infra.recordRedisOperation("GET", true, 0.0004);
 * infra.updateDatabaseConnections("sessions", 3, 7, 0, 10);
 * infra.updateCircuitBreakerState("airtable", CircuitState.OPEN);
 * }</pre>
 */
public final class InfrastructureMetrics extends DomainRecorder {

  private final MetricFamily<CounterDataPoint> redisOperations;
  private final MetricFamily<DistributionDataPoint> redisDuration;
  private final MetricFamily<GaugeDataPoint> redisPoolSize;
  private final MetricFamily<GaugeDataPoint> dbActive;
  private final MetricFamily<GaugeDataPoint> dbIdle;
  private final MetricFamily<GaugeDataPoint> dbPending;
  private final MetricFamily<GaugeDataPoint> dbMax;
  private final MetricFamily<DistributionDataPoint> dbQuery;
  private final MetricFamily<DistributionDataPoint> dbAcquire;
  private final MetricFamily<DistributionDataPoint> dbUsage;
  private final MetricFamily<DistributionDataPoint> dbCreation;
  private final MetricFamily<CounterDataPoint> dbTimeouts;
  private final ExclusiveStateSet breakerState;
  private final MetricFamily<CounterDataPoint> breakerFailures;
  private final MetricFamily<CounterDataPoint> breakerRejections;
  private final MetricFamily<CounterDataPoint> breakerTransitions;

  InfrastructureMetrics(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    super(registry, enabled, failures);
    redisOperations = registry.family(REDIS_OPERATIONS_TOTAL);
    redisDuration = registry.family(REDIS_OPERATION_DURATION_SECONDS);
    redisPoolSize = registry.family(REDIS_CONNECTION_POOL_SIZE);
    dbActive = registry.family(DATABASE_CONNECTIONS_ACTIVE);
    dbIdle = registry.family(DATABASE_CONNECTIONS_IDLE);
    dbPending = registry.family(DATABASE_CONNECTIONS_PENDING);
    dbMax = registry.family(DATABASE_CONNECTIONS_MAX);
    dbQuery = registry.family(DATABASE_QUERY_DURATION_SECONDS);
    dbAcquire = registry.family(DATABASE_CONNECTION_ACQUIRE_SECONDS);
    dbUsage = registry.family(DATABASE_CONNECTION_USAGE_SECONDS);
    dbCreation = registry.family(DATABASE_CONNECTION_CREATION_SECONDS);
    dbTimeouts = registry.family(DATABASE_CONNECTION_TIMEOUTS_TOTAL);
    breakerState = registry.exclusiveStateSet(CIRCUIT_BREAKER_STATE);
    breakerFailures = registry.family(CIRCUIT_BREAKER_FAILURES_TOTAL);
    breakerRejections = registry.family(CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL);
    breakerTransitions = registry.family(CIRCUIT_BREAKER_TRANSITIONS_TOTAL);
  }

  // --- Redis ----------------------------------------------------------------------------------------

  /** One Redis command: {@code operation} is the command name (GET, SET, EVALSHA, ...). */
  public void recordRedisOperation(String operation, boolean success, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      redisOperations.labels(operation, success ? "success" : "error").inc();
      redisDuration.labels(operation).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_redis_operation", e);
    }
  }

  /** Redis connections of a pool type (for example {@code shared}, {@code pooled}). */
  public void updateRedisPoolSize(String poolType, int size) {
    if (!enabled) {
      return;
    }
    try {
      redisPoolSize.labels(poolType).set(Observations.nonNegative("pool size", size));
    } catch (RuntimeException e) {
      failures.contain("update_redis_pool_size", e);
    }
  }

  // --- database -------------------------------------------------------------------------------------

  /** The connection counts of a database pool. */
  public void updateDatabaseConnections(String pool, int active, int idle, int pending, int max) {
    if (!enabled) {
      return;
    }
    try {
      dbActive.labels(pool).set(Observations.nonNegative("active connections", active));
      dbIdle.labels(pool).set(Observations.nonNegative("idle connections", idle));
      dbPending.labels(pool).set(Observations.nonNegative("pending connections", pending));
      dbMax.labels(pool).set(Observations.nonNegative("max connections", max));
    } catch (RuntimeException e) {
      failures.contain("update_database_connections", e);
    }
  }

  /** One database query; {@code queryType} is a fixed kind such as {@code select_session}, never SQL text. */
  public void recordDatabaseQuery(String queryType, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      dbQuery.labels(queryType).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_database_query", e);
    }
  }

  /** Time a caller waited for a pooled connection. */
  public void recordConnectionAcquire(String pool, double seconds) {
    observe(dbAcquire, pool, seconds, "record_connection_acquire");
  }

  /** Time a connection was held before being returned to the pool. */
  public void recordConnectionUsage(String pool, double seconds) {
    observe(dbUsage, pool, seconds, "record_connection_usage");
  }

  /** Time to open a physical connection. */
  public void recordConnectionCreation(String pool, double seconds) {
    observe(dbCreation, pool, seconds, "record_connection_creation");
  }

  /** A connection request that timed out. */
  public void recordConnectionTimeout(String pool) {
    if (!enabled) {
      return;
    }
    try {
      dbTimeouts.labels(pool).inc();
    } catch (RuntimeException e) {
      failures.contain("record_connection_timeout", e);
    }
  }

  /** Makes the timeout counter of a pool visible at 0 before the first timeout. */
  public void initConnectionTimeouts(String pool) {
    if (!enabled) {
      return;
    }
    try {
      dbTimeouts.labels(pool);
    } catch (RuntimeException e) {
      failures.contain("init_connection_timeouts", e);
    }
  }

  // --- circuit breakers -----------------------------------------------------------------------------

  /** The current state of a circuit breaker; exactly one state of the set is 1 afterwards. */
  public void updateCircuitBreakerState(String circuitName, CircuitState state) {
    if (!enabled) {
      return;
    }
    try {
      breakerState.set(state.label(), circuitName);
    } catch (RuntimeException e) {
      failures.contain("update_circuit_breaker_state", e);
    }
  }

  /** A call the breaker recorded as a failure. */
  public void recordCircuitBreakerFailure(String circuitName) {
    if (!enabled) {
      return;
    }
    try {
      breakerFailures.labels(circuitName).inc();
    } catch (RuntimeException e) {
      failures.contain("record_circuit_breaker_failure", e);
    }
  }

  /** A call refused because the breaker was open (not a failure). */
  public void recordCircuitBreakerRejection(String circuitName) {
    if (!enabled) {
      return;
    }
    try {
      breakerRejections.labels(circuitName).inc();
    } catch (RuntimeException e) {
      failures.contain("record_circuit_breaker_rejection", e);
    }
  }

  /** A state transition of a breaker; also sets its current state. */
  public void recordCircuitBreakerTransition(String circuitName, CircuitState from, CircuitState to) {
    if (!enabled) {
      return;
    }
    try {
      breakerState.set(to.label(), circuitName);
      breakerTransitions.labels(circuitName, from.label(), to.label()).inc();
    } catch (RuntimeException e) {
      failures.contain("record_circuit_breaker_transition", e);
    }
  }

  /** Registers a breaker so its failure and rejection counters show 0 before the first event. */
  public void initCircuitBreaker(String circuitName, CircuitState state) {
    if (!enabled) {
      return;
    }
    try {
      breakerState.set(state.label(), circuitName);
      breakerFailures.labels(circuitName);
      breakerRejections.labels(circuitName);
    } catch (RuntimeException e) {
      failures.contain("init_circuit_breaker", e);
    }
  }

  /** The state {@code circuit_breaker_state} currently shows for a breaker. */
  public String circuitBreakerState(String circuitName) {
    return breakerState.get(circuitName);
  }

  private void observe(MetricFamily<DistributionDataPoint> family, String pool, double seconds, String operation) {
    if (!enabled) {
      return;
    }
    try {
      family.labels(pool).observe(Observations.seconds(seconds));
    } catch (RuntimeException e) {
      failures.contain(operation, e);
    }
  }
}
