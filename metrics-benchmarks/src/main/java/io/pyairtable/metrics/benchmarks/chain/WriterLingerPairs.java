package io.pyairtable.metrics.benchmarks.chain;

import io.pyairtable.metrics.benchmarks.rounds.HarnessOptions;
import io.pyairtable.metrics.benchmarks.rounds.Rounds;
import io.pyairtable.metrics.http.chain.AccessLogWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The access-log writer thread's own CPU per line at a fixed rate of lines, for several lingers
 * ({@link AccessLogWriter.Builder#linger}), in one JVM: each block builds a writer with one linger,
 * has 2 threads log {@code rate} lines per second into it for a second of warm-up and then for
 * {@code seconds}, and reads the writer thread's CPU time ({@link ThreadMXBean#getThreadCpuTime})
 * around the measured part; rounds alternate the order of the lingers. Every line logged must be
 * in the file: a block that loses one fails the run. What a writer wake-up costs depends on the
 * machine (on this project's VM, a timer wake-up and the write after it cost about 0.2 ms), and
 * the linger sets how many lines share one.
 *
 * <pre>{@code
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.chain.WriterLingerPairs \
 *     rounds=5 rates=500,5000,20000 lingers=10,50 seconds=8 dir=metrics-benchmarks/target
 * }</pre>
 */
public final class WriterLingerPairs {

  private static final int THREADS = 2;
  private static final String WRITER_THREAD = "access-log-writer";

  /** The writer thread's CPU µs per line, per rate and linger (ms), one value per round. */
  public record Result(Map<Integer, Map<Integer, double[]>> microsPerLine, long linesLogged, long linesWritten,
      long droppedLines) {

    /** The median over the rounds at {@code rate} lines/s with a {@code lingerMillis} linger. */
    public double median(int rate, int lingerMillis) {
      return Rounds.median(microsPerLine.get(rate).get(lingerMillis));
    }
  }

  private WriterLingerPairs() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = HarnessOptions.parse(args, "rounds", "5", "rates", "500,5000,20000", "lingers", "10,50",
        "seconds", "8", "dir", "metrics-benchmarks/target");
    int rounds = Integer.parseInt(a.get("rounds"));
    int[] rates = ints(a.get("rates"));
    int[] lingers = ints(a.get("lingers"));
    double seconds = Double.parseDouble(a.get("seconds"));
    Path dir = Path.of(a.get("dir"));
    System.out.printf(Locale.ROOT, "writer linger: %d rounds, rates %s lines/s on %d threads, lingers %s ms, %.1f s "
        + "per block, files in %s%n", rounds, Arrays.toString(rates), THREADS, Arrays.toString(lingers), seconds, dir);
    Result r = run(rounds, rates, lingers, seconds, dir, true);
    for (int rate : rates) {
      for (int linger : lingers) {
        double[] us = r.microsPerLine().get(rate).get(linger);
        System.out.printf(Locale.ROOT, "median rate %6d/s linger %4d ms: %7.3f us/line of writer CPU (rounds %s)%n",
            rate, linger, r.median(rate, linger), Arrays.toString(us));
      }
    }
    System.out.printf(Locale.ROOT, "lines: %d logged, %d written, %d dropped%n", r.linesLogged(), r.linesWritten(),
        r.droppedLines());
  }

  /** Runs {@code rounds} rounds of every rate and linger; throws when a block's file misses a logged line. */
  public static Result run(int rounds, int[] rates, int[] lingers, double seconds, Path dir, boolean print)
      throws IOException, InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Integer, Map<Integer, double[]>> micros = new LinkedHashMap<>();
    long logged = 0;
    long written = 0;
    long dropped = 0;
    for (int round = 0; round < rounds; round++) {
      for (int rate : rates) {
        List<Integer> order = new ArrayList<>(Arrays.stream(lingers).boxed().toList());
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d rate %d/s:", round + 1, rate));
        for (int linger : order) {
          Path file = dir.resolve("writer-linger-" + linger + ".json");
          Files.deleteIfExists(file);
          AccessLogWriter writer = AccessLogWriter.builder(file).linger(Duration.ofMillis(linger))
              .closeOnShutdown(false).build();
          long cpu;
          long lines;
          long loggedHere;
          try {
            long writerId = writerThreadId();
            long warm = log(writer, rate, 1.0);
            awaitWritten(writer, warm);
            long cpu0 = threads.getThreadCpuTime(writerId);
            long lines0 = writer.writtenLines();
            loggedHere = warm + log(writer, rate, seconds);
            awaitWritten(writer, loggedHere);
            cpu = threads.getThreadCpuTime(writerId) - cpu0;
            lines = writer.writtenLines() - lines0;
          } finally {
            writer.close();
          }
          long inFile;
          try (var stream = Files.lines(file)) {
            inFile = stream.count();
          }
          if (inFile != loggedHere || writer.droppedLines() != 0) {
            throw new IllegalStateException("linger " + linger + " ms: " + loggedHere + " lines logged, " + inFile
                + " in " + file + ", " + writer.droppedLines() + " dropped");
          }
          Files.deleteIfExists(file);
          logged += loggedHere;
          written += inFile;
          dropped += writer.droppedLines();
          double us = cpu / 1e3 / lines;
          micros.computeIfAbsent(rate, k -> new LinkedHashMap<>())
              .computeIfAbsent(linger, k -> new double[rounds])[round] = us;
          line.append(String.format(Locale.ROOT, "  linger %d ms %.3f", linger, us));
        }
        if (print) {
          System.out.println(line.append(" us/line"));
        }
      }
    }
    return new Result(micros, logged, written, dropped);
  }

  /** The id of the one live writer thread (the block's: the previous block's writer has been closed). */
  private static long writerThreadId() {
    List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && WRITER_THREAD.equals(t.getName())).toList();
    if (writers.size() != 1) {
      throw new IllegalStateException("expected one live " + WRITER_THREAD + " thread, found " + writers.size());
    }
    return writers.get(0).getId();
  }

  /** {@code rate} lines per second from {@value #THREADS} threads for {@code seconds}, on schedule; the lines logged. */
  private static long log(AccessLogWriter writer, int rate, double seconds) throws InterruptedException {
    long perThread = Math.max(1, Math.round(rate * seconds / THREADS));
    double periodNanos = 1e9 * THREADS / rate;
    Thread[] senders = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      senders[t] = new Thread(() -> {
        long start = System.nanoTime();
        for (long i = 0; i < perThread; i++) {
          long wait = start + (long) (i * periodNanos) - System.nanoTime();
          if (wait > 20_000) {
            LockSupport.parkNanos(wait);
          }
          writer.log("GET", "/hello", 200, 412_000, 0, 5, UUID.randomUUID().toString(), "127.0.0.1");
        }
      }, "writer-linger-" + t);
      senders[t].start();
    }
    for (Thread t : senders) {
      t.join();
    }
    return perThread * THREADS;
  }

  /** Waits (at most 10 s) until the writer has written {@code lines} lines in all. */
  private static void awaitWritten(AccessLogWriter writer, long lines) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (writer.writtenLines() + writer.droppedLines() < lines && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }
}
