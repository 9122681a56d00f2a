package io.pyairtable.metrics;

/**
 * A running business-operation timer for try-with-resources. Closing it records the duration in
 * {@code business_operation_duration_seconds} and one count in {@code business_operations_total}:
 * with status {@code success} if {@link #success()} was called, otherwise {@code failure}, so an
 * exception that leaves the block is counted as the failure it is.
 *
 * <pre>{@code
 * try (OperationTimer timer = collector.startOperation("data_sync")) {
 *   syncEverything();
 *   timer.success();
 * }
 * }</pre>
 */
public final class OperationTimer implements AutoCloseable {

  private final BusinessOperationRecorder collector;
  private final String operationType;
  private final long startNanos;
  private boolean success;
  private boolean closed;

  OperationTimer(BusinessOperationRecorder collector, String operationType) {
    this.collector = collector;
    this.operationType = operationType;
    this.startNanos = System.nanoTime();
  }

  /** Marks the operation as successful; without this call, closing records a failure. */
  public OperationTimer success() {
    this.success = true;
    return this;
  }

  /** Marks the operation as failed (the default), for example after a handled error. */
  public OperationTimer failure() {
    this.success = false;
    return this;
  }

  /** Seconds since the timer started. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Records the operation; later calls do nothing. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      collector.recordBusinessOperation(operationType, success, elapsedSeconds());
    }
  }
}
