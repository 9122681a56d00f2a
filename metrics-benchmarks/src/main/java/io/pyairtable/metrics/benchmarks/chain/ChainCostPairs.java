package io.pyairtable.metrics.benchmarks.chain;

import static io.pyairtable.metrics.benchmarks.rounds.Rounds.median;
import static io.pyairtable.metrics.benchmarks.rounds.Rounds.minus;

import com.sun.management.OperatingSystemMXBean;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.benchmarks.rounds.HarnessOptions;
import io.pyairtable.metrics.http.chain.AccessLogWriter;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The chain's own CPU per request, without a server, sockets or a load generator: the calls an
 * adapter makes for one request ({@link RequestChain#begin}, the client address,
 * {@link RequestChain#finish}, {@link RequestChain#leave}) from 2 threads at a fixed total rate,
 * with the access log written to a file by {@link AccessLogWriter} (its defaults). Measured is
 * the process's CPU time per request (every thread: the writer's, GC, JIT), in rounds that
 * alternate the variants, each against the same paced loop doing nothing ({@code none}):
 * {@code record} is the metric update alone ({@code recordHttpRequest}), {@code nolog} the
 * chain with correlation id and metrics, {@code chain} the full chain with the file access log.
 * What a container adds around the chain (wrapping the request and response, a request attribute,
 * the correlation header) is not in it: that is what the wrk harness measures, with everything
 * else that shares the cores.
 *
 * <pre>{@code
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.chain.ChainCostPairs \
 *     rounds=10 requests=200000 rate=50000 log=target/chain-cost-access.json
 * }</pre>
 */
public final class ChainCostPairs {

  /** What each block runs per request. */
  public enum Variant { NONE, RECORD, NOLOG, CHAIN }

  private static final int THREADS = 2;

  /**
   * What a run measured: per variant the CPU microseconds per request of each round, and the
   * access-log check (lines written against the requests the full chain served, drops).
   */
  public record Result(Map<Variant, double[]> microsPerRequest, long chainRequests, long linesWritten,
      long droppedLines) {

    /** Median over the rounds of {@code variant}'s CPU per request minus {@code none}'s of the same round. */
    public double addedMicros(Variant variant) {
      return median(minus(microsPerRequest.get(variant), microsPerRequest.get(Variant.NONE)));
    }
  }

  private ChainCostPairs() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HarnessOptions.parse(args, "rounds", "10", "requests", "200000", "rate", "50000",
        "log", "metrics-benchmarks/target/chain-cost-access.json");
    int rounds = Integer.parseInt(a.get("rounds"));
    int requests = Integer.parseInt(a.get("requests"));
    double rate = Double.parseDouble(a.get("rate"));
    Path log = Path.of(a.get("log"));
    System.out.printf(Locale.ROOT, "chain cost: %d rounds, %d requests per block on %d threads at %.0f req/s, "
        + "access log %s%n", rounds, requests, THREADS, rate, log);
    Result r = run(rounds, requests, rate, log, true);
    for (Variant v : Variant.values()) {
      double[] us = r.microsPerRequest().get(v);
      System.out.printf(Locale.ROOT, "median %-6s %6.2f us/req CPU (rounds %.2f-%.2f)%s%n", name(v), median(us),
          Arrays.stream(us).min().orElse(0), Arrays.stream(us).max().orElse(0),
          v == Variant.NONE ? "" : String.format(Locale.ROOT, ", %+.2f us/req over none (median of round differences)",
              r.addedMicros(v)));
    }
    System.out.printf(Locale.ROOT, "access log: %d lines written, %d requests through the full chain, %d dropped%n",
        r.linesWritten(), r.chainRequests(), r.droppedLines());
  }

  /** Runs a warm-up round, then {@code rounds} measured rounds; the access log goes to {@code log} (emptied first). */
  public static Result run(int rounds, int requests, double rate, Path log, boolean print) throws IOException,
      InterruptedException {
    Files.deleteIfExists(log);
    Map<Variant, Runnable> work = new EnumMap<>(Variant.class);
    AccessLogWriter writer = AccessLogWriter.builder(log).closeOnShutdown(false).build();
    try {
      work.put(Variant.NONE, () -> { });
      MetricsCollector recording = collector("chain-cost-record");
      work.put(Variant.RECORD, () -> recording.recordHttpRequest("GET", "/hello", 200, 0.000_412, 0, 5, null));
      work.put(Variant.NOLOG, request(new RequestChain(MiddlewareOptions.builder()
          .metricsCollector(collector("chain-cost-nolog")).enableRequestLogging(false).build())));
      work.put(Variant.CHAIN, request(new RequestChain(MiddlewareOptions.builder()
          .metricsCollector(collector("chain-cost")).accessLog(writer).build())));
      long[] chainRequests = {0};
      Map<Variant, double[]> micros = new EnumMap<>(Variant.class);
      for (Variant v : Variant.values()) {
        micros.put(v, new double[rounds]);
      }
      for (int round = -1; round < rounds; round++) { // round -1: warm-up
        Variant[] order = Variant.values();
        if (round % 2 != 0) {
          Collections.reverse(Arrays.asList(order));
        }
        StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1));
        for (Variant v : order) {
          long expected = chainRequests[0] + (v == Variant.CHAIN ? (long) requests / THREADS * THREADS : 0);
          double us = block(work.get(v), requests, rate, () -> writer.writtenLines() + writer.droppedLines() >= expected);
          if (v == Variant.CHAIN) {
            chainRequests[0] = expected;
          }
          if (round >= 0) {
            micros.get(v)[round] = us;
          }
          line.append(String.format(Locale.ROOT, "  %s %.2f", name(v), us));
        }
        if (print) {
          System.out.println(line.append(" us/req"));
        }
      }
      writer.close();
      return new Result(micros, chainRequests[0], writer.writtenLines(), writer.droppedLines());
    } finally {
      writer.close();
    }
  }

  private static MetricsCollector collector(String service) {
    return Metrics.builder(Map.of()).serviceName(service).version("1").jvmMetrics(false).initialize();
  }

  /** One request as the servlet filter makes it (the client address as the container gives it). */
  private static Runnable request(RequestChain chain) {
    return () -> {
      RequestScope scope = chain.begin("GET", "/hello", null);
      if (chain.logsRequests()) {
        scope.client(chain.clientAddress("127.0.0.1", null));
      }
      chain.finish(scope, "/hello", true, 200, 0, 5);
      chain.leave(scope);
    };
  }

  /**
   * {@code requests} calls of {@code work} on {@value #THREADS} threads at {@code rate} per second
   * in total; once they are done and {@code drained} holds (at most 10 s), the process CPU per call, µs.
   */
  private static double block(Runnable work, int requests, double rate, BooleanSupplier drained)
      throws InterruptedException {
    int perThread = requests / THREADS;
    double periodNanos = 1e9 * THREADS / rate;
    long cpu0 = processCpuNanos();
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      threads[t] = new Thread(() -> {
        long start = System.nanoTime();
        for (int i = 0; i < perThread; i++) {
          if ((i & 15) == 0) { // on schedule, 16 requests at a time
            long wait = start + (long) (i * periodNanos) - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
          }
          work.run();
        }
      }, "chain-cost-" + t);
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!drained.getAsBoolean() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
    return (processCpuNanos() - cpu0) / 1e3 / ((double) perThread * THREADS);
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String name(Variant v) {
    return v.name().toLowerCase(Locale.ROOT);
  }
}
