package io.pyairtable.metrics;

/**
 * Where a finished business operation is recorded: {@code business_operations_total{operation_type,status}}
 * and {@code business_operation_duration_seconds{operation_type}}. {@link MetricsCollector} is one;
 * {@link OperationTimer} and {@link Timed} record through this interface only, so the timers do
 * not depend on the collector that hands them out.
 *
 * <pre>{@code
 * BusinessOperationRecorder recorder = Metrics.initialize("my-service", "1.0.0");
 * recorder.recordBusinessOperation("data_sync", true, 1.5);
 * List<Row> rows = Timed.timed(recorder, "database_query", () -> queryDatabase());
 * }</pre>
 */
@FunctionalInterface
public interface BusinessOperationRecorder {

  /** One finished business operation: its type, outcome and duration in seconds. */
  void recordBusinessOperation(String operationType, boolean success, double durationSeconds);
}
