package io.pyairtable.metrics.internal;

/**
 * Checks of observed values: a duration or size that cannot be true (negative, NaN, infinite) is
 * refused with a message, which the caller's containment counts and logs once, instead of
 * silently skewing a histogram's sum.
 *
 * <pre>{@code
 * histogram.observe(Observations.seconds(duration));
 * }</pre>
 */
public final class Observations {

  private Observations() {}

  /** True for a finite number of at least 0 (what {@link #seconds} accepts). */
  public static boolean isSeconds(double seconds) {
    return seconds >= 0 && seconds != Double.POSITIVE_INFINITY;
  }

  /** {@code seconds} if it is a finite number of at least 0. */
  public static double seconds(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("duration must be a finite number of seconds >= 0, was " + seconds);
    }
    return seconds;
  }

  /** {@code value} if it is a finite number of at least 0. */
  public static double nonNegative(String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
    }
    return value;
  }
}
