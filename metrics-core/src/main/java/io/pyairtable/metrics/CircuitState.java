package io.pyairtable.metrics;

/**
 * The three states {@code circuit_breaker_state} shows. Integrations map their breaker's states
 * onto these (Resilience4j's DISABLED and METRICS_ONLY calls pass, so they show as closed;
 * FORCED_OPEN shows as open).
 *
 * <pre>{@code
 * collector.infrastructure().updateCircuitBreakerState("airtable", CircuitState.OPEN);
 * }</pre>
 */
public enum CircuitState {
  CLOSED("closed"),
  OPEN("open"),
  HALF_OPEN("half_open");

  private final String label;

  CircuitState(String label) {
    this.label = label;
  }

  /** The state as exposed in the {@code circuit_breaker_state} label. */
  public String label() {
    return label;
  }
}
