package io.pyairtable.metrics.benchmarks.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The writer-linger harness starts, gets a figure for every rate, linger and round, and loses no line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriterLingerHarnessTest {

  @Test
  void everyRateAndLingerGetsAFigurePerRoundAndEveryLoggedLineIsInItsFile(@TempDir Path dir) throws Exception {
    WriterLingerPairs.Result r = WriterLingerPairs.run(2, new int[] {2_000}, new int[] {5, 20}, 0.5, dir, false);

    assertThat(r.microsPerLine().keySet()).containsExactly(2_000);
    assertThat(r.microsPerLine().get(2_000).keySet()).containsExactly(5, 20);
    // the thread clock may tick coarsely, so a short block can read 0; never negative, never NaN
    assertThat(r.microsPerLine().get(2_000).values()).allSatisfy(us -> assertThat(Arrays.stream(us).boxed().toList())
        .hasSize(2).allMatch(v -> v >= 0 && Double.isFinite(v)));
    // per block: 1 s of warm-up (2,000 lines) and 0.5 s measured (1,000); 2 rounds of 2 lingers
    assertThat(r.linesLogged()).isEqualTo(4 * 3_000L);
    assertThat(r.linesWritten()).isEqualTo(r.linesLogged());
    assertThat(r.droppedLines()).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty(); // each block's file is removed once it has been checked
    }
  }
}
