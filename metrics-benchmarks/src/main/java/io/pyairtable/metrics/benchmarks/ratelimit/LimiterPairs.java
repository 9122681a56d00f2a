package io.pyairtable.metrics.benchmarks.ratelimit;

import static io.pyairtable.metrics.benchmarks.rounds.Rounds.median;

import com.sun.management.OperatingSystemMXBean;
import io.pyairtable.metrics.benchmarks.rounds.HarnessOptions;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/**
 * The rate limiter against raw Bucket4j-on-Lettuce as paired, interleaved rounds in one JVM on one
 * {@code redis-server} ({@link LimiterFixture}): in every round each side takes the same number of
 * granted decisions with the same number of client threads (each thread its own base, all sharing
 * one access token), one side right after the other, the side that goes first alternating. Each
 * block gives the time per decision as a client sees it (wall time × threads / decisions), the 99th
 * percentile of the decisions' latencies, this process's CPU time per decision
 * ({@code getProcessCpuTime}, Lettuce's event loop included) and, from Redis's
 * {@code INFO commandstats} and {@code INFO cpu}, the commands each decision sent (Bucket4j's
 * compare-and-swap retries show up here) and the server's CPU per decision. Each round then runs
 * both sides interleaved: every client thread alternates one decision of each side (which goes
 * first alternating too), so a stall of the machine meets both sides alike; the 99th percentile of
 * each side's latencies from that block is the round's interleaved p99 (the blocks' p99 moves
 * with whatever else the machine did during one side's block). Per round, the ratio ours/raw of
 * each figure; printed are the medians over the rounds and their spread.
 *
 * <pre>{@code
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.ratelimit.LimiterPairs \
 *     rounds=10 threads=1,8 decisions=5000 warmup=2000
 * }</pre>
 */
public final class LimiterPairs {

  /** Opens each result line, read by {@code bin/rate-limiter}. */
  public static final String RESULT = "PAIRED";

  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private LimiterPairs() {}

  /** What one block of decisions of one side cost. */
  public record Block(double timeUs, double p99Us, double cpuUs, double commands, double redisCpuUs,
      Map<String, Double> commandsByName) {}

  /** The 99th percentiles of both sides' latencies in one interleaved block. */
  public record Interleaved(double oursP99Us, double rawP99Us) {}

  /** One thread count's rounds: per round the block of each side and the interleaved block. */
  public record Result(int threads, List<Block> ours, List<Block> raw, List<Interleaved> interleaved,
      long fallbackDecisions) {

    /** Per-round ratios ours/raw of one figure. */
    public double[] ratios(ToDoubleFunction<Block> figure) {
      double[] r = new double[ours.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = figure.applyAsDouble(ours.get(i)) / figure.applyAsDouble(raw.get(i));
      }
      return r;
    }

    /** One line for the script: key=value pairs after {@link #RESULT}. */
    public String line() {
      StringBuilder b = new StringBuilder(RESULT).append(" threads=").append(threads)
          .append(" rounds=").append(ours.size()).append(" fallback=").append(fallbackDecisions);
      Map<String, ToDoubleFunction<Block>> figures = new LinkedHashMap<>();
      figures.put("time", Block::timeUs);
      figures.put("p99", Block::p99Us);
      figures.put("cpu", Block::cpuUs);
      figures.put("cmds", Block::commands);
      figures.put("redis_cpu", Block::redisCpuUs);
      figures.forEach((name, f) -> {
        double[] r = ratios(f);
        b.append(' ').append(name).append("_ratio=").append(fmt(median(r)))
            .append(' ').append(name).append("_rounds=").append(join(r))
            .append(" ours_").append(name).append('=').append(fmt(median(ours.stream().mapToDouble(f).toArray())))
            .append(" raw_").append(name).append('=').append(fmt(median(raw.stream().mapToDouble(f).toArray())));
      });
      double[] p99i = interleaved.stream().mapToDouble(i -> i.oursP99Us() / i.rawP99Us()).toArray();
      b.append(" p99i_ratio=").append(fmt(median(p99i))).append(" p99i_rounds=").append(join(p99i))
          .append(" ours_p99i=").append(fmt(median(interleaved.stream().mapToDouble(Interleaved::oursP99Us).toArray())))
          .append(" raw_p99i=").append(fmt(median(interleaved.stream().mapToDouble(Interleaved::rawP99Us).toArray())));
      b.append(" ours_by_command=").append(byCommand(ours)).append(" raw_by_command=").append(byCommand(raw));
      return b.toString();
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = HarnessOptions.parse(args, "rounds", "10", "threads", "1,8", "decisions", "5000",
        "warmup", "2000");
    try (LimiterFixture fixture = LimiterFixture.withRedis()) {
      for (String t : o.get("threads").split(",")) {
        Result r = run(fixture, Integer.parseInt(t), Integer.parseInt(o.get("rounds")),
            Integer.parseInt(o.get("decisions")), Integer.parseInt(o.get("warmup")));
        System.out.println(r.line());
      }
    }
  }

  /**
   * {@code rounds} paired rounds of {@code decisions} decisions per side (split over
   * {@code threads}) in a block of each side and in one interleaved block, after {@code warmup}
   * unmeasured decisions of each side.
   */
  public static Result run(LimiterFixture fixture, int threads, int rounds, int decisions, int warmup)
      throws InterruptedException {
    IntPredicate ours = t -> fixture.limiter().checkBaseLimit(LimiterFixture.baseId(t)).allowed();
    IntPredicate raw = t -> fixture.rawDecision(LimiterFixture.baseId(t));
    long fallbackBefore = fixture.fallbackDecisions();
    block(fixture, ours, threads, warmup);
    block(fixture, raw, threads, warmup);
    List<Block> o = new ArrayList<>();
    List<Block> r = new ArrayList<>();
    List<Interleaved> both = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      if (i % 2 == 0) {
        o.add(block(fixture, ours, threads, decisions));
        r.add(block(fixture, raw, threads, decisions));
      } else {
        r.add(block(fixture, raw, threads, decisions));
        o.add(block(fixture, ours, threads, decisions));
      }
      both.add(interleaved(ours, raw, threads, decisions, i % 2 == 0));
    }
    return new Result(threads, o, r, both, fixture.fallbackDecisions() - fallbackBefore);
  }

  /**
   * {@code decisions} decisions of each side, each client thread alternating one of each (ours
   * first on even steps when {@code oursFirst}, the other way round otherwise); the p99 of each side.
   */
  private static Interleaved interleaved(IntPredicate ours, IntPredicate raw, int threads, int decisions,
      boolean oursFirst) throws InterruptedException {
    int each = Math.max(1, decisions / threads);
    long[][] oursLatencies = new long[threads][each];
    long[][] rawLatencies = new long[threads][each];
    runClients(threads, (id, i) -> {
      boolean oursNow = (i % 2 == 0) == oursFirst;
      for (int k = 0; k < 2; k++, oursNow = !oursNow) {
        long start = System.nanoTime();
        decide(oursNow ? ours : raw, id);
        (oursNow ? oursLatencies : rawLatencies)[id][i] = System.nanoTime() - start;
      }
    }, each);
    return new Interleaved(p99Us(oursLatencies), p99Us(rawLatencies));
  }

  /** One step of a client thread: {@code id} the thread, {@code step} the step's index. */
  @FunctionalInterface
  private interface Step {
    void run(int id, int step);
  }

  /** Starts {@code threads} clients that each run {@code steps} steps together; the wall time. */
  private static long runClients(int threads, Step step, int steps) throws InterruptedException {
    RuntimeException[] failure = new RuntimeException[1];
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread c = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < steps; i++) {
            step.run(id, i);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failure[0] = e;
        }
      }, "client-" + t);
      c.start();
      clients.add(c);
    }
    long wall = System.nanoTime();
    go.countDown();
    for (Thread c : clients) {
      c.join();
    }
    wall = System.nanoTime() - wall;
    if (failure[0] != null) {
      throw failure[0];
    }
    return wall;
  }

  private static void decide(IntPredicate side, int id) {
    if (!side.test(id)) {
      throw new IllegalStateException("a benchmark decision was refused");
    }
  }

  private static double p99Us(long[][] latencies) {
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return all[Math.max(0, (int) Math.ceil(0.99 * all.length) - 1)] / 1e3;
  }

  private static Block block(LimiterFixture fixture, IntPredicate side, int threads, int decisions)
      throws InterruptedException {
    int each = Math.max(1, decisions / threads);
    long[][] latencies = new long[threads][each];
    Map<String, Double> redisBefore = fixture.redisCounters();
    long cpu = OS.getProcessCpuTime();
    long wall = runClients(threads, (id, i) -> {
      long start = System.nanoTime();
      decide(side, id);
      latencies[id][i] = System.nanoTime() - start;
    }, each);
    cpu = OS.getProcessCpuTime() - cpu;
    Map<String, Double> redisAfter = fixture.redisCounters();
    int total = each * threads;
    Map<String, Double> byName = new TreeMap<>();
    double commands = 0;
    for (Map.Entry<String, Double> e : redisAfter.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("cmdstat_") && !name.equals("cmdstat_info")) {
        double n = (e.getValue() - redisBefore.getOrDefault(name, 0.0)) / total;
        if (n > 0) {
          byName.put(name.substring("cmdstat_".length()), n);
          commands += n;
        }
      }
    }
    double redisCpu = (redisAfter.get("used_cpu_user") + redisAfter.get("used_cpu_sys")
        - redisBefore.get("used_cpu_user") - redisBefore.get("used_cpu_sys")) * 1e6 / total;
    return new Block(wall / 1e3 * threads / total, p99Us(latencies), cpu / 1e3 / total, commands, redisCpu, byName);
  }

  private static String byCommand(List<Block> blocks) {
    Map<String, List<Double>> all = new TreeMap<>();
    for (Block b : blocks) {
      b.commandsByName().forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    StringBuilder s = new StringBuilder();
    all.forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append(':')
        .append(fmt(median(v.stream().mapToDouble(Double::doubleValue).toArray()))));
    return s.length() == 0 ? "-" : s.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String join(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(b.length() == 0 ? "" : ",").append(fmt(v));
    }
    return b.toString();
  }
}
