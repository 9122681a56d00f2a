package io.pyairtable.metrics.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a stop request instead of the JVM's default (run the shutdown hooks, then
 * exit 128 + signal, 143 for SIGTERM): {@code serve} stops its service itself and exits 0 when the
 * stop completed. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, present on every
 * OpenJDK), the JDK's only way to handle a signal without exiting.
 *
 * <pre>{@code
 * CountDownLatch stop = new CountDownLatch(1);
 * StopSignals.onTermOrInterrupt(stop::countDown);
 * stop.await();   // then stop gracefully and return 0
 * }</pre>
 */
final class StopSignals {

  private StopSignals() {}

  /** Runs {@code onStop} (on the JVM's signal thread) for every SIGTERM and SIGINT from now on. */
  static void onTermOrInterrupt(Runnable onStop) {
    Signal.handle(new Signal("TERM"), signal -> onStop.run());
    Signal.handle(new Signal("INT"), signal -> onStop.run());
  }
}
