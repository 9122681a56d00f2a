package io.pyairtable.metrics.benchmarks.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.benchmarks.chain.ChainCostPairs.Variant;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The chain-cost harness starts, measures every variant and writes one access-log line per chain request. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChainCostHarnessTest {

  @Test
  void everyVariantGetsAFigurePerRoundAndEveryChainRequestItsLine(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("access.json");

    ChainCostPairs.Result r = ChainCostPairs.run(2, 2_000, 20_000, log, false);

    assertThat(r.microsPerRequest().keySet()).containsExactly(Variant.values());
    // CPU time per block (the process clock may tick in 10 ms, so a short block of the empty loop can read 0)
    assertThat(r.microsPerRequest().values()).allSatisfy(us -> assertThat(Arrays.stream(us).boxed().toList())
        .hasSize(2).allMatch(v -> v >= 0 && Double.isFinite(v)));
    assertThat(r.chainRequests()).isEqualTo(3 * 2_000L); // the warm-up and the two rounds
    assertThat(r.linesWritten()).isEqualTo(r.chainRequests());
    assertThat(r.droppedLines()).isZero();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(6_000);
    assertThat(lines).allMatch(line -> line.matches("\\{\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\","
        + "\"method\":\"GET\",\"route\":\"/hello\",\"status\":200,\"duration_ms\":\\d+\\.\\d{3},\"request_bytes\":0,"
        + "\"response_bytes\":5,\"correlation_id\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\","
        + "\"client\":\"127\\.0\\.0\\.1\"}"));
  }
}
