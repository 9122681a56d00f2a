package io.pyairtable.metrics.examples;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits, bounded, for what another thread or process does: polls a condition every 20 ms and fails
 * the test when it does not hold in time.
 *
 * <pre>{@code
 * Await.until(() -> queue.waiting(BASE) == 2, Duration.ofSeconds(20));
 * }</pre>
 */
public final class Await {

  private Await() {}

  /** Returns once {@code condition} holds; an {@link AssertionError} when it has not within {@code within}. */
  public static void until(BooleanSupplier condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + within.toMillis() + " ms");
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
