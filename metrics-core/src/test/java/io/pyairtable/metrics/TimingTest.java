package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TimingTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("timing").jvmMetrics(false).initialize();

  private long count(String operation, String status) {
    String prefix = "business_operations_total{operation_type=\"" + operation + "\",service=\"timing\",status=\""
        + status + "\"} ";
    return collector.exportMetrics().lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
  }

  private long observations(String operation) {
    String prefix = "business_operation_duration_seconds_count{operation_type=\"" + operation
        + "\",service=\"timing\"} ";
    return collector.exportMetrics().lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> Long.parseLong(l.substring(prefix.length()))).sum();
  }

  /** A free function, not a method of any class holding a collector. */
  static int queryDatabase() {
    return 42;
  }

  @Test
  void timedSupplierRecordsSuccessWithAnyCollectorForAFreeFunction() {
    int result = Timed.timed(collector, "database_query", TimingTest::queryDatabase);

    assertThat(result).isEqualTo(42);
    assertThat(count("database_query", "success")).isEqualTo(1);
    assertThat(observations("database_query")).isEqualTo(1);
  }

  @Test
  void timedSupplierThatThrowsRecordsFailureAndRethrowsTheSameException() {
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> collector.timed("sync", (Supplier<Integer>) () -> { throw boom; })).isSameAs(boom);
    assertThat(count("sync", "failure")).isEqualTo(1);
    assertThat(count("sync", "success")).isZero();
  }

  @Test
  void timedRunnableRecordsItsOutcome() {
    collector.timed("cleanup", () -> { });

    assertThat(count("cleanup", "success")).isEqualTo(1);
  }

  @Test
  void decoratedCallablePassesCheckedExceptionsThroughAsFailures() {
    IOException io = new IOException("disk");

    assertThatThrownBy(() -> Timed.decorateCallable(collector, "read", () -> { throw io; }).call()).isSameAs(io);
    assertThat(count("read", "failure")).isEqualTo(1);
  }

  @Test
  void tryWithResourcesTimerRecordsSuccessOnlyWhenMarked() {
    try (OperationTimer timer = collector.startOperation("import")) {
      timer.success();
    }
    try (OperationTimer ignored = collector.startOperation("import")) {
      // left without success(): an exception path
    }

    assertThat(count("import", "success")).isEqualTo(1);
    assertThat(count("import", "failure")).isEqualTo(1);
    assertThat(observations("import")).isEqualTo(2);
  }

  @Test
  void completionStageIsTimedUntilItCompletes() {
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletionStage<String> timed = collector.timedStage("llm_call", () -> pending);
    assertThat(observations("llm_call")).isZero();
    pending.complete("done");

    assertThat(timed.toCompletableFuture().join()).isEqualTo("done");
    assertThat(count("llm_call", "success")).isEqualTo(1);
  }

  @Test
  void failedCompletionStageCountsAsFailure() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    Supplier<CompletionStage<String>> decorated = Timed.decorateCompletionStage(collector, "llm_call", () -> pending);

    CompletionStage<String> timed = decorated.get();
    pending.completeExceptionally(new IllegalStateException("429"));

    assertThat(timed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(count("llm_call", "failure")).isEqualTo(1);
  }

  @Test
  void stageSupplierThatThrowsGivesAFailedStageAndAFailure() {
    CompletionStage<String> timed = collector.timedStage("llm_call", () -> { throw new IllegalStateException("x"); });

    assertThat(timed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(count("llm_call", "failure")).isEqualTo(1);
  }
}
