package io.pyairtable.metrics.benchmarks.gateway;

import static io.pyairtable.metrics.benchmarks.rounds.Rounds.median;

import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Requests/s and latency through API gateway → Airtable gateway (cache hit), with all metrics on
 * against the same path with {@code METRICS_ENABLED=false}, in one run: both stacks
 * ({@link GatewayStack}) start in this JVM, each is warmed (cache hit, then a wrk warm-up), then
 * wrk drives them in alternating rounds (on, off; off, on; ...). Prints each round, the per-round
 * ratios on/off, and their medians with the spread.
 *
 * <pre>
 * java -Xmx1g -cp metrics-benchmarks/target/benchmarks.jar \
 *     io.pyairtable.metrics.benchmarks.gateway.GatewayPath [rounds=5] [seconds=10] [threads=2] [connections=16]
 * </pre>
 */
public final class GatewayPath {

  private GatewayPath() {}

  public static void main(String[] args) throws Exception {
    int rounds = arg(args, 0, 5);
    int seconds = arg(args, 1, 10);
    int threads = arg(args, 2, 2);
    int connections = arg(args, 3, 16);
    System.out.println(run(rounds, seconds, threads, connections, seconds));
    System.exit(0);
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  /** The whole run; returns the report (Markdown). */
  public static String run(int rounds, int seconds, int threads, int connections, int warmupSeconds)
      throws IOException, InterruptedException {
    StringBuilder report = new StringBuilder();
    String header = "X-API-Key: " + GatewayStack.apiKey();
    try (AirtableEmulator emulator = GatewayStack.emulator();
         GatewayStack on = GatewayStack.start(emulator, true);
         GatewayStack off = GatewayStack.start(emulator, false)) {
      on.warm();
      off.warm();
      report.append("load before: ").append(loadAverage()).append('\n');
      Wrk.run(on.url(), header, threads, connections, warmupSeconds);
      Wrk.run(off.url(), header, threads, connections, warmupSeconds);
      report.append(String.format(Locale.ROOT, "wrk -t%d -c%d -d%ds --latency -H '%s' <API gateway>%s%n%n",
          threads, connections, seconds, header, on.url().substring(on.url().indexOf("/api/"))));
      report.append("| round | order | on req/s | off req/s | on/off req/s | on p50 µs | off p50 µs"
          + " | on p99 µs | off p99 µs | on/off p99 | failed |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
      double[] rps = new double[rounds];
      double[] p99 = new double[rounds];
      double[] onRps = new double[rounds];
      double[] offRps = new double[rounds];
      double[] onP99 = new double[rounds];
      double[] offP99 = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        boolean onFirst = r % 2 == 0;
        Wrk.Result first = Wrk.run((onFirst ? on : off).url(), header, threads, connections, seconds);
        Wrk.Result second = Wrk.run((onFirst ? off : on).url(), header, threads, connections, seconds);
        Wrk.Result a = onFirst ? first : second;
        Wrk.Result b = onFirst ? second : first;
        onRps[r] = a.requestsPerSecond();
        offRps[r] = b.requestsPerSecond();
        onP99[r] = a.p99Micros();
        offP99[r] = b.p99Micros();
        rps[r] = a.requestsPerSecond() / b.requestsPerSecond();
        p99[r] = a.p99Micros() / b.p99Micros();
        report.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.3f | %.0f | %.0f | %.0f | %.0f | %.3f | %d |%n",
            r + 1, onFirst ? "on, off" : "off, on", a.requestsPerSecond(), b.requestsPerSecond(), rps[r],
            a.p50Micros(), b.p50Micros(), a.p99Micros(), b.p99Micros(), p99[r], a.failures() + b.failures()));
      }
      report.append(String.format(Locale.ROOT, "%nmedians: on %.0f req/s (%.0f–%.0f), off %.0f req/s (%.0f–%.0f);"
              + " on p99 %.0f µs, off p99 %.0f µs%n",
          median(onRps), min(onRps), max(onRps), median(offRps), min(offRps), max(offRps), median(onP99),
          median(offP99)));
      report.append(String.format(Locale.ROOT, "on/off throughput: median %.3f (rounds %.3f–%.3f);"
          + " on/off p99: median %.3f (rounds %.3f–%.3f)%n", median(rps), min(rps), max(rps), median(p99), min(p99),
          max(p99)));
      report.append("load after: ").append(loadAverage()).append('\n');
    }
    return report.toString();
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  private static String loadAverage() {
    try {
      List<String> parts = new ArrayList<>(Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")));
      return String.join(" ", parts.subList(0, 3));
    } catch (IOException e) {
      return "unknown";
    }
  }
}
