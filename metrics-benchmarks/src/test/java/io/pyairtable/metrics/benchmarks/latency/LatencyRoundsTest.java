package io.pyairtable.metrics.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rounds driver starts, runs both modes and prints its table (not a benchmark: a second at 200/s). */
class LatencyRoundsTest {

  @Test
  @Timeout(60)
  void interleavedModeTheDefaultMeasuresBothTargetsInOneScheduleAtTheirShareOfTheRate() throws Exception {
    List<String> table = run(); // no mode given
    // 50% of 400/s, shared by two targets: 100/s each; the second has the added columns
    assertThat(table).hasSize(2);
    assertThat(table.get(0)).startsWith("| 50% (200/s: 100/s each) | bare | ").endsWith(" | | | |");
    assertThat(table.get(1)).startsWith("| 50% (200/s: 100/s each) | chain | ").doesNotEndWith(" | | | |");
  }

  @Test
  @Timeout(60)
  void sequentialModeGivesEachTargetARunAtTheWholeRate() throws Exception {
    List<String> table = run("mode=sequential");
    assertThat(table).hasSize(2);
    assertThat(table.get(0)).startsWith("| 50% (200/s) | bare | ");
    assertThat(table.get(1)).startsWith("| 50% (200/s) | chain | ");
  }

  @Test
  void anUnknownModeIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(() -> LatencyRounds.main(new String[] {"saturation=400", "mode=parallel",
        "bare=http://127.0.0.1:1/hello"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mode is sequential or interleaved, got parallel");
  }

  /** Runs one round at 50% of 400/s against two paths of a local server, with {@code mode}; the table's rows. */
  private static List<String> run(String... mode) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("ok".getBytes(StandardCharsets.US_ASCII));
      }
    });
    server.setExecutor(executor);
    server.start();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      List<String> args = new ArrayList<>(List.of("saturation=400", "loads=50", "rounds=1", "seconds=1",
          "warmup=0.2", "connections=2", "bare=" + base + "/a", "chain=" + base + "/b"));
      args.addAll(List.of(mode));
      LatencyRounds.main(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
      server.stop(0);
      executor.shutdownNow();
    }
    return Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.startsWith("| 50%")).toList();
  }
}
