package io.pyairtable.metrics.benchmarks.scrape;

import com.sun.management.ThreadMXBean;
import io.pyairtable.metrics.benchmarks.rounds.HarnessOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrape at scale as paired, interleaved measurements in one JVM: both sides of a
 * {@link ScrapeFixture} (the project's metrics endpoint, "ours", and client_java's own
 * {@code PrometheusScrapeHandler}) are scraped one right after the other, A B, B A, A B ... (the
 * side that goes first alternating from pair to pair), on the same thread, and every pair gives
 * one ratio ours/client_java of the scraping thread's CPU time ({@code ThreadMXBean}) and one of
 * its wall time. The two scrapes of a pair are a few milliseconds apart, so the machine's load,
 * the JIT and the heap are the same for both; the median of many pairs resolves differences that
 * separate JVMs run minutes apart cannot.
 *
 * <p>Each case (format × idle/recording) runs {@code rounds} rounds of {@code pairs} pairs after
 * {@code warmup} unmeasured pairs; printed are the per-round medians of the pair ratios, and the
 * median over all pairs with its 10th–90th percentile. <b>While recording</b>, two more threads
 * record without pause into <em>both</em> registries, alternately, the same request into each
 * ({@code recordOurs(pick)} and {@code recordClientJava(pick)}, which one first alternating): each
 * side's scrape runs while the same threads record at the same rate into its registry and into the
 * other, so both scrapes compete for the same cores with the same recording work.
 *
 * <p>It also checks {@code metrics_scrape_duration_seconds}: the histogram's sum/count over the
 * measured scrapes of ours, against the wall time measured around the same calls.
 *
 * <pre>{@code
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.scrape.ScrapePairs \
 *     rounds=5 pairs=40 warmup=60 formats=TEXT,OPENMETRICS,GZIP_TEXT loads=idle,recording
 * }</pre>
 */
public final class ScrapePairs {

  /** Opens each result line, read by {@code bin/scrape-at-scale}. */
  public static final String RESULT = "PAIRED";

  private static final ThreadMXBean THREADS =
      (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ScrapePairs() {}

  /** The figures of one case: per pair the ratios, per side the medians. */
  public record Result(String format, String load, double[] cpuRatios, double[] wallRatios,
      double[] roundCpuMedians, double[] roundWallMedians, double oursCpuMs, double clientJavaCpuMs,
      double oursWallMs, double clientJavaWallMs, double oursAllocBytes, double clientJavaAllocBytes,
      double recordedMeanMs, double measuredMeanMs, long recordedScrapes, long recordsDuring) {

    /** Median of the per-pair CPU-time ratios ours/client_java. */
    public double cpuRatio() {
      return percentile(cpuRatios, 50);
    }

    /** Median of the per-pair wall-time ratios ours/client_java. */
    public double wallRatio() {
      return percentile(wallRatios, 50);
    }

    /** One line for the script: key=value pairs after {@link #RESULT}. */
    public String line() {
      return String.format(Locale.ROOT,
          "%s format=%s load=%s pairs=%d cpu_ratio=%.4f cpu_p10=%.4f cpu_p90=%.4f wall_ratio=%.4f wall_p10=%.4f"
              + " wall_p90=%.4f cpu_rounds=%s wall_rounds=%s ours_cpu_ms=%.3f cj_cpu_ms=%.3f ours_wall_ms=%.3f"
              + " cj_wall_ms=%.3f ours_alloc=%.0f cj_alloc=%.0f recorded_ms=%.3f measured_ms=%.3f"
              + " recorded_scrapes=%d records=%d",
          RESULT, format, load, cpuRatios.length, cpuRatio(), percentile(cpuRatios, 10), percentile(cpuRatios, 90),
          wallRatio(), percentile(wallRatios, 10), percentile(wallRatios, 90), join(roundCpuMedians),
          join(roundWallMedians), oursCpuMs, clientJavaCpuMs, oursWallMs, clientJavaWallMs, oursAllocBytes,
          clientJavaAllocBytes, recordedMeanMs, measuredMeanMs, recordedScrapes, recordsDuring);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = HarnessOptions.parse(args, "rounds", "5", "pairs", "40", "warmup", "60",
        "formats", "TEXT,OPENMETRICS,GZIP_TEXT", "loads", "idle,recording");
    for (String load : o.get("loads").split(",")) {
      for (String format : o.get("formats").split(",")) {
        Result r = run(ScrapeFormat.valueOf(format), "recording".equals(load), Integer.parseInt(o.get("rounds")),
            Integer.parseInt(o.get("pairs")), Integer.parseInt(o.get("warmup")));
        System.out.println(r.line());
      }
    }
  }

  /** Runs one case on a fresh fixture (each series recorded 3 times). */
  public static Result run(ScrapeFormat format, boolean recording, int rounds, int pairs, int warmup)
      throws IOException, InterruptedException {
    ScrapeFixture fixture = new ScrapeFixture(3);
    MemoryExchange ours = new MemoryExchange(format);
    MemoryExchange clientJava = new MemoryExchange(format);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong records = new AtomicLong();
    List<Thread> recorders = new ArrayList<>();
    if (recording) {
      for (int t = 0; t < 2; t++) {
        long seed = 7 + t;
        Thread thread = new Thread(() -> record(fixture, seed, stop, records), "recorder-" + t);
        thread.setDaemon(true);
        thread.start();
        recorders.add(thread);
      }
    }
    try {
      long[] sample = new long[3];
      for (int i = 0; i < warmup; i++) {
        scrape(fixture, ours, true, sample);
        scrape(fixture, clientJava, false, sample);
      }
      int n = rounds * pairs;
      double[] cpu = new double[n];
      double[] wall = new double[n];
      double[][] perSide = new double[6][n];
      double[] roundCpu = new double[rounds];
      double[] roundWall = new double[rounds];
      double[] before = fixture.scrapeDurationCountAndSum();
      long recordsBefore = records.get();
      double oursWallSum = 0;
      long[] a = new long[3];
      long[] b = new long[3];
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          scrape(fixture, ours, true, a);
          scrape(fixture, clientJava, false, b);
        } else {
          scrape(fixture, clientJava, false, b);
          scrape(fixture, ours, true, a);
        }
        cpu[i] = (double) a[0] / b[0];
        wall[i] = (double) a[1] / b[1];
        perSide[0][i] = a[0] / 1e6;
        perSide[1][i] = b[0] / 1e6;
        perSide[2][i] = a[1] / 1e6;
        perSide[3][i] = b[1] / 1e6;
        perSide[4][i] = a[2];
        perSide[5][i] = b[2];
        oursWallSum += a[1];
        if ((i + 1) % pairs == 0) {
          int r = i / pairs;
          roundCpu[r] = percentile(Arrays.copyOfRange(cpu, r * pairs, (r + 1) * pairs), 50);
          roundWall[r] = percentile(Arrays.copyOfRange(wall, r * pairs, (r + 1) * pairs), 50);
        }
      }
      double[] after = fixture.scrapeDurationCountAndSum();
      long recorded = (long) (after[0] - before[0]);
      double recordedMeanMs = recorded == 0 ? 0 : (after[1] - before[1]) * 1000 / recorded;
      return new Result(format.name(), recording ? "recording" : "idle", cpu, wall, roundCpu, roundWall,
          percentile(perSide[0], 50), percentile(perSide[1], 50), percentile(perSide[2], 50),
          percentile(perSide[3], 50), percentile(perSide[4], 50), percentile(perSide[5], 50), recordedMeanMs,
          oursWallSum / n / 1e6, recorded, records.get() - recordsBefore);
    } finally {
      stop.set(true);
      for (Thread t : recorders) {
        t.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  /** One scrape of one side; {@code into} gets thread CPU ns, wall ns and bytes allocated. */
  private static void scrape(ScrapeFixture fixture, MemoryExchange exchange, boolean ours, long[] into)
      throws IOException {
    long thread = Thread.currentThread().getId();
    long alloc = THREADS.getThreadAllocatedBytes(thread);
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    if (ours) {
      fixture.scrapeOurs(exchange.reset());
    } else {
      fixture.scrapeClientJava(exchange.reset());
    }
    into[1] = System.nanoTime() - wall;
    into[0] = Math.max(1, THREADS.getCurrentThreadCpuTime() - cpu);
    into[2] = THREADS.getThreadAllocatedBytes(thread) - alloc;
    if (exchange.status() != 200 || exchange.bodySize() == 0) {
      throw new IllegalStateException("scrape answered " + exchange.status() + " with " + exchange.bodySize() + " B");
    }
  }

  /** The same request into both registries, the side that goes first alternating. */
  private static void record(ScrapeFixture fixture, long seed, AtomicBoolean stop, AtomicLong records) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean oursFirst = true;
    while (!stop.get()) {
      int pick = random.nextInt();
      if (oursFirst) {
        fixture.recordOurs(pick);
        fixture.recordClientJava(pick);
      } else {
        fixture.recordClientJava(pick);
        fixture.recordOurs(pick);
      }
      oursFirst = !oursFirst;
      records.incrementAndGet();
    }
  }

  /** The {@code p}-th percentile (nearest rank) of {@code values}. */
  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  private static String join(double[] values) {
    StringBuilder b = new StringBuilder();
    for (double v : values) {
      b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return b.toString();
  }
}
