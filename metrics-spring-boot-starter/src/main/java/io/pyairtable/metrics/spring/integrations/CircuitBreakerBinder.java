package io.pyairtable.metrics.spring.integrations;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds every circuit breaker of the application's Resilience4j {@link CircuitBreakerRegistry}
 * beans to the collector ({@code circuit_breaker_state}, {@code circuit_breaker_failures_total}),
 * the ones that exist at start-up and the ones created later (registry events). Each breaker is
 * bound once.
 *
 * <pre>{@code
 * @Bean CircuitBreakerRegistry breakers() { return CircuitBreakerRegistry.ofDefaults(); }
 * // then: breakers.circuitBreaker("airtable") appears in circuit_breaker_state
 * }</pre>
 */
public final class CircuitBreakerBinder implements SmartInitializingSingleton {

  private final List<CircuitBreakerRegistry> registries;
  private final MetricsCollector collector;
  private final Set<CircuitBreaker> bound = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  public CircuitBreakerBinder(List<CircuitBreakerRegistry> registries, MetricsCollector collector) {
    this.registries = registries;
    this.collector = collector;
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (CircuitBreakerRegistry registry : registries) {
      registry.getEventPublisher().onEntryAdded(e -> bind(e.getAddedEntry()));
      registry.getEventPublisher().onEntryReplaced(e -> bind(e.getNewEntry()));
      registry.getAllCircuitBreakers().forEach(this::bind);
    }
  }

  /** How many breakers are bound so far. */
  public int boundCount() {
    return bound.size();
  }

  private void bind(CircuitBreaker breaker) {
    if (bound.add(breaker)) {
      try {
        CircuitBreakerMetrics.bind(breaker, collector);
      } catch (RuntimeException e) {
        collector.containFailure("bind_circuit_breaker", e);
      }
    }
  }
}
