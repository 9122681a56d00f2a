package io.pyairtable.metrics.integrations.circuitbreaker;

import static io.pyairtable.metrics.catalog.MetricCatalog.CIRCUIT_BREAKER_FAILURES_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.CIRCUIT_BREAKER_STATE;
import static io.pyairtable.metrics.catalog.MetricCatalog.CIRCUIT_BREAKER_TRANSITIONS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.pyairtable.metrics.CircuitState;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CircuitBreakerMetricsTest {

  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("cb-test").jvmMetrics(false)
      .initialize();

  private static final String STATE = CIRCUIT_BREAKER_STATE.name();
  private static final String FAILURES = CIRCUIT_BREAKER_FAILURES_TOTAL.name();
  private static final String REJECTED = CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL.name();
  private static final String TRANSITIONS = CIRCUIT_BREAKER_TRANSITIONS_TOTAL.name();

  @Test
  void thresholdOpensTimeoutHalfOpensAndSuccessCloses() {
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("airtable", metrics, 3,
        Duration.ofMillis(300));
    Supplier<String> failing = CircuitBreaker.decorateSupplier(breaker, () -> {
      throw new IllegalStateException("upstream down");
    });
    assertShows("airtable", "closed");
    assertThat(exposed().value(FAILURES, "circuit_name", "airtable")).isEqualTo(0);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class);
    }
    assertShows("airtable", "closed");
    assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class);
    assertShows("airtable", "open");
    assertThat(exposed().value(FAILURES, "circuit_name", "airtable")).isEqualTo(3);

    // Calls while open are rejected, counted apart, and are not failures.
    assertThatThrownBy(failing::get).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(failing::get).isInstanceOf(CallNotPermittedException.class);
    Exposition open = exposed();
    assertThat(open.value(REJECTED, "circuit_name", "airtable")).isEqualTo(2);
    assertThat(open.value(FAILURES, "circuit_name", "airtable")).isEqualTo(3);

    // Half-open on its own after the timeout, visible in the exposition without any call.
    Conditions.await(Duration.ofSeconds(5), "half_open in the exposition",
        () -> exposed().value(STATE, "circuit_name", "airtable", STATE, "half_open") == 1);
    assertShows("airtable", "half_open");

    assertThat(CircuitBreaker.decorateSupplier(breaker, () -> "ok").get()).isEqualTo("ok");
    assertShows("airtable", "closed");

    Exposition end = exposed();
    assertThat(end.value(TRANSITIONS, "circuit_name", "airtable", "from_state", "closed", "to_state", "open"))
        .isEqualTo(1);
    assertThat(end.value(TRANSITIONS, "circuit_name", "airtable", "from_state", "open", "to_state", "half_open"))
        .isEqualTo(1);
    assertThat(end.value(TRANSITIONS, "circuit_name", "airtable", "from_state", "half_open", "to_state", "closed"))
        .isEqualTo(1);
    assertThat(end.value(FAILURES, "circuit_name", "airtable")).isEqualTo(3);
    assertThat(end.value(REJECTED, "circuit_name", "airtable")).isEqualTo(2);
  }

  @Test
  void failedTrialCallInHalfOpenReopens() {
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("gemini", metrics, 1,
        Duration.ofMillis(200));
    Runnable failing = CircuitBreaker.decorateRunnable(breaker, () -> {
      throw new IllegalStateException("boom");
    });
    assertThatThrownBy(failing::run).isInstanceOf(IllegalStateException.class);
    assertShows("gemini", "open");
    Conditions.await(Duration.ofSeconds(5), "half_open", () -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
    assertShows("gemini", "half_open");
    assertThatThrownBy(failing::run).isInstanceOf(IllegalStateException.class);
    assertShows("gemini", "open");
    assertThat(exposed().value(TRANSITIONS, "circuit_name", "gemini", "from_state", "half_open", "to_state", "open"))
        .isEqualTo(1);
    assertThat(exposed().value(FAILURES, "circuit_name", "gemini")).isEqualTo(2);
  }

  @Test
  void successesBetweenFailuresKeepItClosedBecauseFailuresMustBeConsecutive() {
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("mcp", metrics, 3,
        Duration.ofSeconds(60));
    Supplier<String> failing = CircuitBreaker.decorateSupplier(breaker, () -> {
      throw new IllegalArgumentException("bad");
    });
    Supplier<String> ok = CircuitBreaker.decorateSupplier(breaker, () -> "ok");
    for (int round = 0; round < 3; round++) {
      assertThatThrownBy(failing::get).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(failing::get).isInstanceOf(IllegalArgumentException.class);
      ok.get();
    }
    assertShows("mcp", "closed");
    assertThat(exposed().value(FAILURES, "circuit_name", "mcp")).isEqualTo(6);
  }

  @Test
  void callerExceptionIsRethrownUnchangedThroughEveryDecorator() throws Exception {
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("db", metrics);
    IOException io = new IOException("disk");
    Callable<String> callable = CircuitBreaker.decorateCallable(breaker, () -> {
      throw io;
    });
    assertThatThrownBy(callable::call).isSameAs(io);

    IllegalStateException async = new IllegalStateException("async failure");
    Supplier<CompletionStage<String>> stage = CircuitBreaker.decorateCompletionStage(breaker,
        () -> CompletableFuture.failedFuture(async));
    assertThatThrownBy(() -> stage.get().toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCauseReference(async);

    String value = CircuitBreaker.decorateCompletionStage(breaker, () -> CompletableFuture.completedFuture("v"))
        .get().toCompletableFuture().join();
    assertThat(value).isEqualTo("v");
    assertThat(exposed().value(FAILURES, "circuit_name", "db")).isEqualTo(2);
    assertShows("db", "closed");
  }

  @Test
  void ignoredExceptionsAreNotFailures() {
    CircuitBreakerConfig config = CircuitBreakerConfig.from(CircuitBreakerMetrics.config(2, Duration.ofSeconds(60)))
        .ignoreExceptions(IllegalArgumentException.class).build();
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("validation", metrics, config);
    Supplier<String> invalid = CircuitBreaker.decorateSupplier(breaker, () -> {
      throw new IllegalArgumentException("caller error");
    });
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(invalid::get).isInstanceOf(IllegalArgumentException.class);
    }
    assertShows("validation", "closed");
    assertThat(exposed().value(FAILURES, "circuit_name", "validation")).isEqualTo(0);
  }

  @Test
  void forcedOpenShowsOpenAndDisabledShowsClosed() {
    CircuitBreaker breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker("ops", metrics);
    breaker.transitionToForcedOpenState();
    assertShows("ops", "open");
    assertThatThrownBy(() -> breaker.executeSupplier(() -> "x")).isInstanceOf(CallNotPermittedException.class);
    // Resilience4j publishes no call events in FORCED_OPEN (only transitions): nothing to count.
    assertThat(exposed().value(REJECTED, "circuit_name", "ops")).isEqualTo(0);
    breaker.transitionToDisabledState();
    assertShows("ops", "closed");
    assertThat(breaker.executeSupplier(() -> "x")).isEqualTo("x");
    assertThat(CircuitBreakerMetrics.state(CircuitBreaker.State.METRICS_ONLY)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void bindingAnExistingBreakerPublishesItsCurrentState() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("legacy");
    breaker.transitionToOpenState();
    CircuitBreakerMetrics.bind(breaker, metrics);
    assertShows("legacy", "open");
  }

  private Exposition exposed() {
    return Exposition.of(metrics);
  }

  private void assertShows(String circuit, String state) {
    Exposition e = exposed();
    for (String s : CIRCUIT_BREAKER_STATE.states()) {
      assertThat(e.value(STATE, "circuit_name", circuit, STATE, s))
          .as("%s{%s} while %s", STATE, s, state).isEqualTo(s.equals(state) ? 1 : 0);
    }
    assertThat(metrics.infrastructure().circuitBreakerState(circuit)).isEqualTo(state);
  }
}
