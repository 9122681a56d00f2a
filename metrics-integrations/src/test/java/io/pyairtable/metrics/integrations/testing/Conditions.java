package io.pyairtable.metrics.integrations.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, instead of sleeping for a guessed time.
 *
 * <pre>{@code
 * Conditions.await(Duration.ofSeconds(5), "breaker half-open", () -> breaker.getState() == HALF_OPEN);
 * }</pre>
 */
public final class Conditions {

  private Conditions() {}

  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      Thread.onSpinWait();
      LockSupport.parkNanos(2_000_000);
    }
  }
}
