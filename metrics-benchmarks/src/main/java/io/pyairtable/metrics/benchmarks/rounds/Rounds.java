package io.pyairtable.metrics.benchmarks.rounds;

import java.util.Arrays;

/**
 * The arithmetic of alternating rounds that the paired harnesses share: a round's figure against
 * the baseline's figure of the same round, and medians over the rounds.
 *
 * <pre>{@code
 * double[] ours = {2.6, 2.8, 2.5};
 * double[] none = {1.1, 1.2, 1.0};
 * double added = Rounds.median(Rounds.minus(ours, none)); // 1.5
 * }</pre>
 */
public final class Rounds {

  private Rounds() {}

  /** The median; of an even count, the mean of the middle two. */
  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Per round, {@code values[r] - baseline[r]}. */
  public static double[] minus(double[] values, double[] baseline) {
    double[] d = new double[values.length];
    for (int r = 0; r < values.length; r++) {
      d[r] = values[r] - baseline[r];
    }
    return d;
  }
}
