package io.pyairtable.metrics.benchmarks.latency;

import static io.pyairtable.metrics.benchmarks.rounds.Rounds.median;
import static io.pyairtable.metrics.benchmarks.rounds.Rounds.minus;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Latency at fixed rates, baseline against variants in alternating rounds: for every load (a share
 * of the baseline's saturation throughput) and every round, each target gets the same
 * {@link FixedRateLoad} run, the order of the targets reversed every other round so both see the
 * same machine. Prints each run, then per load the medians over rounds of p50/p99/p99.9 and the
 * median of the per-round differences against the first target (the added latency).
 *
 * <pre>{@code
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.latency.LatencyRounds \
 *     saturation=24000 loads=25,50,75 rounds=5 seconds=10 warmup=5 connections=16 \
 *     bare=http://127.0.0.1:8081/hello chain=http://127.0.0.1:8082/hello
 * }</pre>
 * Arguments are {@code key=value}; every key that is not an option is a target (name=URL), the
 * first one the baseline. By default ({@code mode=interleaved}) each load is one run of
 * {@link FixedRateLoad#interleaved}: the targets' requests alternate in one schedule at the load's
 * rate (each target gets its share), so all are measured at the same moments, under the same
 * stalls of the machine; {@code mode=sequential} gives each target a run of its own at the load's
 * rate, one after the other. With {@code serverpid=<pid>} (the process serving every target) each
 * run also prints that process's CPU time per answered request. In sequential mode, one target
 * loaded at a time, that is per target, and the table shows its median per load and target and the
 * median per-round difference against the baseline: at a fixed rate, the same for both, this is
 * the chain's own CPU cost per request.
 */
public final class LatencyRounds {

  private static final double[] PERCENTILES = {50, 99, 99.9};

  private LatencyRounds() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("loads", "25,50,75", "rounds", "5", "seconds", "10",
        "warmup", "5", "connections", "16"));
    Map<String, URI> targets = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("arguments are key=value, got " + arg);
      }
      String key = arg.substring(0, eq);
      String value = arg.substring(eq + 1);
      if (value.startsWith("http://")) {
        targets.put(key, URI.create(value));
      } else {
        options.put(key, value);
      }
    }
    if (targets.isEmpty() || !options.containsKey("saturation")) {
      throw new IllegalArgumentException("need saturation=<req/s> and at least one target name=http://...");
    }
    double saturation = Double.parseDouble(options.get("saturation"));
    int rounds = Integer.parseInt(options.get("rounds"));
    double seconds = Double.parseDouble(options.get("seconds"));
    double warmup = Double.parseDouble(options.get("warmup"));
    int connections = Integer.parseInt(options.get("connections"));
    int[] loads = Arrays.stream(options.get("loads").split(",")).mapToInt(Integer::parseInt).toArray();
    List<String> names = new ArrayList<>(targets.keySet());
    ProcessCpu server = options.containsKey("serverpid") ? new ProcessCpu(Long.parseLong(options.get("serverpid"))) : null;
    String mode = options.getOrDefault("mode", "interleaved");
    if (!mode.equals("sequential") && !mode.equals("interleaved")) {
      throw new IllegalArgumentException("mode is sequential or interleaved, got " + mode);
    }
    boolean interleaved = mode.equals("interleaved");
    boolean cpuPerTarget = server != null && !interleaved;

    System.out.printf(Locale.ROOT, "saturation %.0f req/s, loads %s%%, %d rounds of %.0f s, %d connections%s, %s%n",
        saturation, Arrays.toString(loads), rounds, seconds, connections, interleaved ? " per target" : "",
        interleaved ? "targets interleaved in one schedule at the load's rate (each target gets 1/"
            + names.size() + " of it)" : "one run per target at the load's rate");
    for (String name : names) { // warm-up at the middle load, not counted
      FixedRateLoad.run(targets.get(name), saturation * loads[loads.length / 2] / 100.0, warmup, connections);
    }
    // results[load][target][round][percentile] in microseconds
    double[][][][] results = new double[loads.length][names.size()][rounds][PERCENTILES.length + 1];
    for (int r = 0; r < rounds; r++) {
      for (int l = 0; l < loads.length; l++) {
        double rate = saturation * loads[l] / 100.0;
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < names.size(); t++) {
          order.add(t);
        }
        if ((r + l) % 2 == 1) {
          Collections.reverse(order);
        }
        if (interleaved) {
          List<URI> ordered = new ArrayList<>();
          for (int t : order) {
            ordered.add(targets.get(names.get(t)));
          }
          double cpuBefore = server == null ? Double.NaN : server.seconds();
          List<FixedRateLoad.Result> res = FixedRateLoad.interleaved(ordered, rate, seconds, connections);
          long answers = res.stream().mapToLong(FixedRateLoad.Result::count).sum();
          double cpu = server == null ? Double.NaN : (server.seconds() - cpuBefore) * 1e6 / Math.max(1, answers);
          for (int i = 0; i < order.size(); i++) {
            record(results[l][order.get(i)][r], res.get(i), Double.NaN);
            print(r, loads[l], names.get(order.get(i)), res.get(i), "");
          }
          if (server != null) {
            System.out.printf(Locale.ROOT, "round %d load %2d%% server cpu %.2f us/req (all targets together)%n",
                r + 1, loads[l], cpu);
          }
          continue;
        }
        for (int t : order) {
          double cpuBefore = server == null ? Double.NaN : server.seconds();
          FixedRateLoad.Result res = FixedRateLoad.run(targets.get(names.get(t)), rate, seconds, connections);
          double cpu = server == null ? Double.NaN : (server.seconds() - cpuBefore) * 1e6 / Math.max(1, res.count());
          record(results[l][t][r], res, cpu);
          print(r, loads[l], names.get(t), res,
              server == null ? "" : String.format(Locale.ROOT, "  server cpu %.2f us/req", cpu));
        }
      }
    }
    System.out.println();
    System.out.println("| load | target | p50 µs | p99 µs | p99.9 µs | added p50 µs | added p99 µs | added p99.9 µs |"
        + (cpuPerTarget ? " server CPU µs/req | added CPU µs/req |" : ""));
    System.out.println("|---|---|---|---|---|---|---|---|" + (cpuPerTarget ? "---|---|" : ""));
    for (int l = 0; l < loads.length; l++) {
      for (int t = 0; t < names.size(); t++) {
        double rate = saturation * loads[l] / 100.0;
        StringBuilder row = new StringBuilder(interleaved
            ? String.format(Locale.ROOT, "| %d%% (%.0f/s: %.0f/s each) | %s |", loads[l], rate, rate / names.size(),
                names.get(t))
            : String.format(Locale.ROOT, "| %d%% (%.0f/s) | %s |", loads[l], rate, names.get(t)));
        for (int p = 0; p < PERCENTILES.length; p++) {
          row.append(String.format(Locale.ROOT, " %.1f |", median(column(results[l][t], p))));
        }
        for (int p = 0; p < PERCENTILES.length; p++) {
          if (t == 0) {
            row.append(" |");
          } else {
            double[] added = minus(column(results[l][t], p), column(results[l][0], p));
            row.append(String.format(Locale.ROOT, " %+.1f (%s) |", median(added), rounded(added)));
          }
        }
        if (cpuPerTarget) {
          int c = PERCENTILES.length;
          row.append(String.format(Locale.ROOT, " %.2f |", median(column(results[l][t], c))));
          if (t == 0) {
            row.append(" |");
          } else {
            double[] added = minus(column(results[l][t], c), column(results[l][0], c));
            row.append(String.format(Locale.ROOT, " %+.2f (%s) |", median(added), rounded2(added)));
          }
        }
        System.out.println(row);
      }
    }
  }

  private static void record(double[] row, FixedRateLoad.Result res, double cpu) {
    for (int p = 0; p < PERCENTILES.length; p++) {
      row[p] = res.micros(PERCENTILES[p]);
    }
    row[PERCENTILES.length] = cpu;
  }

  private static void print(int round, int load, String name, FixedRateLoad.Result res, String cpu) {
    System.out.printf(Locale.ROOT,
        "round %d load %2d%% %-6s rate %6.0f/s answers %7d errors %d  p50 %8.1f  p99 %8.1f  p99.9 %8.1f"
            + "  max %9.1f us  (sent late p50 %.1f us, p99 %.1f us, %d waited for a connection; generator cpu %.1f us/req)%s%n",
        round + 1, load, name, res.achievedRate(), res.count(), res.errors(), res.micros(50),
        res.micros(99), res.micros(99.9), res.latency().getMaxValue() / 1e3,
        res.lateness().getValueAtPercentile(50) / 1e3, res.lateness().getValueAtPercentile(99) / 1e3,
        res.waitedForConnection(), res.generatorMicrosPerRequest(), cpu);
  }

  private static double[] column(double[][] rounds, int p) {
    double[] out = new double[rounds.length];
    for (int r = 0; r < rounds.length; r++) {
      out[r] = rounds[r][p];
    }
    return out;
  }

  private static String rounded2(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.2f", v));
    }
    return sb.toString();
  }

  private static String rounded(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.0f", v));
    }
    return sb.toString();
  }
}
