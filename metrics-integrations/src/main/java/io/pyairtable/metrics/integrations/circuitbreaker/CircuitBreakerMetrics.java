package io.pyairtable.metrics.integrations.circuitbreaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.EventConsumer;
import io.pyairtable.metrics.CircuitState;
import io.pyairtable.metrics.InfrastructureMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.Objects;

/**
 * Resilience4j circuit breakers that report into a {@link MetricsCollector}: the breaker logic is
 * Resilience4j's own, this class only subscribes to its {@link CircuitBreaker.EventPublisher}.
 *
 * <ul>
 *   <li>{@code circuit_breaker_state{circuit_name}} follows every state transition as it happens
 *       (Resilience4j's FORCED_OPEN shows as {@code open}; DISABLED and METRICS_ONLY, where calls
 *       pass, show as {@code closed}).</li>
 *   <li>{@code circuit_breaker_failures_total} counts the calls Resilience4j recorded as failures
 *       ({@code onError}); ignored exceptions and rejected calls are not failures.</li>
 *   <li>{@code circuit_breaker_rejected_calls_total} counts calls refused while open
 *       ({@code onCallNotPermitted}). Resilience4j publishes no call events in FORCED_OPEN, DISABLED
 *       and METRICS_ONLY (only transitions), so calls refused by a forced-open breaker are not
 *       counted.</li>
 *   <li>{@code circuit_breaker_transitions_total{from_state,to_state}} counts transitions.</li>
 * </ul>
 *
 * <p>The README's {@code failure_threshold}/{@code timeout} pair maps onto Resilience4j as a
 * COUNT_BASED sliding window of {@code failureThreshold} calls, {@code minimumNumberOfCalls =
 * failureThreshold} and a failure-rate threshold of 100%: the breaker opens exactly when the last
 * {@code failureThreshold} recorded calls all failed, i.e. after that many consecutive failures.
 * It stays open for {@code timeout}, then moves to half_open on its own (automatic transition,
 * so the state is visible without a call); one permitted trial call then closes it on success or
 * re-opens it on failure.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("external_api", metrics, 5,
 *     Duration.ofSeconds(60));
 * Supplier<String> call = CircuitBreaker.decorateSupplier(breaker, () -> client.fetch());
 * String body = call.get();   // throws CallNotPermittedException while open
 * }</pre>
 */
public final class CircuitBreakerMetrics {

  /** The original's default: five consecutive failures open the breaker. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 5;
  /** The original's default: the breaker stays open for 60 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private CircuitBreakerMetrics() {}

  /** A breaker with the defaults (5 failures, 60 s), reporting into {@code collector}. */
  public static CircuitBreaker metricsEnabledCircuitBreaker(String name, MetricsCollector collector) {
    return metricsEnabledCircuitBreaker(name, collector, DEFAULT_FAILURE_THRESHOLD, DEFAULT_TIMEOUT);
  }

  /**
   * A breaker that opens after {@code failureThreshold} consecutive failures and stays open for
   * {@code timeout} before half-opening; see the class comment for the Resilience4j mapping.
   */
  public static CircuitBreaker metricsEnabledCircuitBreaker(String name, MetricsCollector collector,
      int failureThreshold, Duration timeout) {
    return metricsEnabledCircuitBreaker(name, collector, config(failureThreshold, timeout));
  }

  /** A breaker with a Resilience4j configuration of your own, reporting into {@code collector}. */
  public static CircuitBreaker metricsEnabledCircuitBreaker(String name, MetricsCollector collector,
      CircuitBreakerConfig config) {
    return bind(CircuitBreaker.of(name, config), collector);
  }

  /**
   * The Resilience4j configuration for "open after {@code failureThreshold} consecutive failures,
   * half-open after {@code timeout}".
   */
  public static CircuitBreakerConfig config(int failureThreshold, Duration timeout) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(failureThreshold)
        .minimumNumberOfCalls(failureThreshold)
        .failureRateThreshold(100f)
        .waitDurationInOpenState(timeout)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .permittedNumberOfCallsInHalfOpenState(1)
        .build();
  }

  /**
   * Subscribes {@code collector} to an existing breaker's events and publishes its current state.
   * Returns the same breaker. A failure inside the metrics is contained, never thrown into the call.
   */
  public static CircuitBreaker bind(CircuitBreaker breaker, MetricsCollector collector) {
    String name = breaker.getName();
    InfrastructureMetrics infra = collector.infrastructure();
    infra.initCircuitBreaker(name, state(breaker.getState()));
    CircuitBreaker.EventPublisher events = breaker.getEventPublisher();
    events.onStateTransition(contained(collector, "circuit_breaker_transition", e -> {
      CircuitState from = state(e.getStateTransition().getFromState());
      CircuitState to = state(e.getStateTransition().getToState());
      if (from == to) {
        infra.updateCircuitBreakerState(name, to);
      } else {
        infra.recordCircuitBreakerTransition(name, from, to);
      }
    }));
    events.onError(contained(collector, "circuit_breaker_failure", e -> infra.recordCircuitBreakerFailure(name)));
    events.onCallNotPermitted(contained(collector, "circuit_breaker_rejection",
        e -> infra.recordCircuitBreakerRejection(name)));
    events.onReset(contained(collector, "circuit_breaker_reset",
        e -> infra.updateCircuitBreakerState(name, state(breaker.getState()))));
    return breaker;
  }

  /** How a Resilience4j state shows in {@code circuit_breaker_state}. */
  public static CircuitState state(CircuitBreaker.State state) {
    switch (state) {
      case OPEN:
      case FORCED_OPEN:
        return CircuitState.OPEN;
      case HALF_OPEN:
        return CircuitState.HALF_OPEN;
      case CLOSED:
      case DISABLED:
      case METRICS_ONLY:
      default:
        return CircuitState.CLOSED;
    }
  }

  private static <E> EventConsumer<E> contained(MetricsCollector collector, String operation, EventConsumer<E> body) {
    return event -> {
      try {
        body.consumeEvent(event);
      } catch (RuntimeException | LinkageError e) {
        collector.containFailure(operation, e);
      }
    };
  }
}
