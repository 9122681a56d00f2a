package io.pyairtable.metrics.benchmarks.rounds;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The round arithmetic every paired harness uses. */
class RoundsTest {

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Rounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Rounds.median(new double[] {5, 1, 3})).isEqualTo(3.0);
  }

  @Test
  void minusSubtractsTheBaselineOfTheSameRound() {
    assertThat(Rounds.minus(new double[] {2.6, 2.8, 2.5}, new double[] {1.1, 1.2, 1.0})).containsExactly(
        new double[] {1.5, 1.6, 1.5}, Offset.offset(1e-9));
  }
}
