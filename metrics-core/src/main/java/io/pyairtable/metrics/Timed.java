package io.pyairtable.metrics;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Timing for any code, free functions included, in the style of Resilience4j's decorators. Each
 * call records {@code business_operation_duration_seconds{operation_type}} and
 * {@code business_operations_total{operation_type,status}} with the collector (or any
 * {@link BusinessOperationRecorder}) you pass: success
 * when the code returns, failure when it throws (the exception is rethrown unchanged). For a
 * {@link CompletionStage} the clock stops when the stage completes.
 *
 * <pre>{@code
 * List<Row> rows = Timed.timed(collector, "database_query", () -> queryDatabase());
 * Supplier<Report> report = Timed.decorateSupplier(collector, "report", this::buildReport);
 * CompletionStage<Reply> reply = Timed.timedStage(collector, "llm_call", () -> client.sendAsync(request));
 * }</pre>
 */
public final class Timed {

  private Timed() {}

  /** Runs {@code supplier} and records its duration and outcome. */
  public static <T> T timed(BusinessOperationRecorder collector, String operationType, Supplier<T> supplier) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = supplier.get();
      ok = true;
      return result;
    } finally {
      collector.recordBusinessOperation(operationType, ok, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Runs {@code runnable} and records its duration and outcome. */
  public static void timed(BusinessOperationRecorder collector, String operationType, Runnable runnable) {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      runnable.run();
      ok = true;
    } finally {
      collector.recordBusinessOperation(operationType, ok, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Calls {@code callable} and records its duration and outcome; checked exceptions pass through. */
  public static <T> T timedCallable(BusinessOperationRecorder collector, String operationType, Callable<T> callable)
      throws Exception {
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = callable.call();
      ok = true;
      return result;
    } finally {
      collector.recordBusinessOperation(operationType, ok, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Starts the stage and records when it completes: success on normal completion, failure on
   * exceptional completion or when {@code stageSupplier} itself throws (then returned as a failed stage).
   */
  public static <T> CompletionStage<T> timedStage(
      BusinessOperationRecorder collector, String operationType, Supplier<? extends CompletionStage<T>> stageSupplier) {
    long start = System.nanoTime();
    CompletionStage<T> stage;
    try {
      stage = stageSupplier.get();
    } catch (RuntimeException e) {
      collector.recordBusinessOperation(operationType, false, (System.nanoTime() - start) / 1e9);
      return CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete((value, failure) ->
        collector.recordBusinessOperation(operationType, failure == null, (System.nanoTime() - start) / 1e9));
  }

  /** A supplier that times every call of {@code supplier}. */
  public static <T> Supplier<T> decorateSupplier(BusinessOperationRecorder collector, String operationType, Supplier<T> supplier) {
    return () -> timed(collector, operationType, supplier);
  }

  /** A runnable that times every run of {@code runnable}. */
  public static Runnable decorateRunnable(BusinessOperationRecorder collector, String operationType, Runnable runnable) {
    return () -> timed(collector, operationType, runnable);
  }

  /** A callable that times every call of {@code callable}. */
  public static <T> Callable<T> decorateCallable(BusinessOperationRecorder collector, String operationType, Callable<T> callable) {
    return () -> timedCallable(collector, operationType, callable);
  }

  /** A stage supplier that times every stage it starts, until completion. */
  public static <T> Supplier<CompletionStage<T>> decorateCompletionStage(
      BusinessOperationRecorder collector, String operationType, Supplier<? extends CompletionStage<T>> stageSupplier) {
    return () -> timedStage(collector, operationType, stageSupplier);
  }
}
