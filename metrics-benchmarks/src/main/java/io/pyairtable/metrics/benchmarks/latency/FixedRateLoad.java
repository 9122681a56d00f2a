package io.pyairtable.metrics.benchmarks.latency;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop, fixed-rate HTTP/1.1 load generator: request {@code i} of a run is due at
 * {@code start + i / rate}, whatever the earlier answers did, and its latency is measured from that
 * intended time (so a stall of the server is charged to every request it delayed: coordinated
 * omission corrected, as wrk2 does). Each request goes out on a keep-alive connection that has no
 * request in flight; when every connection is waiting for an answer, the due request is sent as
 * soon as one is free, and its latency still counts from when it was due.
 *
 * <p>Two threads do all the work, whatever the number of connections, so the generator takes as
 * little of the machine's cores as it can from the server it measures: a sender that sleeps until
 * the next request is due and writes every due request (non-blocking), and a receiver that waits
 * in one {@link Selector} for the answers of all connections and timestamps each as it arrives.
 * (One thread per connection, the first version, used about 45 µs of CPU per request here, mostly
 * in the kernel: a wake-up to send and one more to read, per request and per thread.)
 *
 * <p>{@link #interleaved} runs one schedule over several targets, their requests alternating, so
 * that a baseline and a variant are measured at the same moments, under the same stalls.
 *
 * <p>Latencies go into an HdrHistogram in nanoseconds (3 significant digits). Besides the latency
 * from the intended time, each run records how late each request was written (the generator's
 * own timer and scheduling, the same for every target, plus any wait for a free connection), how
 * many requests found every connection waiting for an answer (so, with none, the lateness is the
 * generator's alone), and the generator's own CPU time per request.
 *
 * <pre>{@code
 * FixedRateLoad.Result r = FixedRateLoad.run(URI.create("http://127.0.0.1:8080/hello"), 5_000, 10, 16);
 * System.out.println(r.count() + " answers, p99 " + r.micros(99) + " us");
 * }</pre>
 */
public final class FixedRateLoad {

  private static final long HIGHEST_NANOS = 60_000_000_000L;

  private FixedRateLoad() {}

  /**
   * What one run measured: answers, failures, latency from the intended send time, send lateness,
   * the requests that waited for a free connection, and the generator's own CPU time (both
   * threads) in seconds.
   */
  public record Result(long count, long errors, Histogram latency, Histogram lateness, long waitedForConnection,
      double seconds, double generatorCpuSeconds) {

    /** Value at {@code percentile} of the latency, in microseconds. */
    public double micros(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** Answers per second over the run. */
    public double achievedRate() {
      return count / seconds;
    }

    /** The generator's CPU time per answered request, in microseconds. */
    public double generatorMicrosPerRequest() {
      return generatorCpuSeconds * 1e6 / Math.max(1, count);
    }
  }

  /**
   * Sends {@code rate * seconds} {@code GET} requests to {@code target} at {@code rate} per second
   * over at most {@code connections} keep-alive connections, then waits for the last answers (at
   * most 30 s). A request that fails (a non-2xx answer, a connection closed or refused) counts as
   * an error, and its connection is reopened for the next one.
   *
   * @throws IOException when a connection cannot be opened at the start
   */
  public static Result run(URI target, double rate, double seconds, int connections)
      throws IOException, InterruptedException {
    return interleaved(List.of(target), rate, seconds, connections).get(0);
  }

  /**
   * One schedule over several targets, their requests interleaved: request {@code i} is due at
   * {@code start + i / rate} and goes to target {@code i % targets.size()}, on one of that target's
   * {@code connectionsPerTarget} keep-alive connections. Every target gets the same share of the
   * rate at the same moments, so a stall of the machine (another process, a pause of a JVM they
   * share) delays the requests of all of them alike: the difference between their latencies is the
   * difference between the targets, not between two runs' luck.
   *
   * @param rate the requests per second of all targets together
   * @return one result per target, in the order given; the generator's CPU is shared between them
   *     by their answers
   * @throws IOException when a connection cannot be opened at the start
   */
  public static List<Result> interleaved(List<URI> targets, double rate, double seconds, int connectionsPerTarget)
      throws IOException, InterruptedException {
    if (targets.isEmpty() || rate <= 0 || seconds <= 0 || connectionsPerTarget <= 0) {
      throw new IllegalArgumentException("targets, rate, seconds and connections must be positive");
    }
    int n = targets.size();
    long total = Math.round(rate * seconds);
    try (Selector selector = Selector.open()) {
      List<KeepAliveConnection> conns = new ArrayList<>();
      List<BlockingQueue<KeepAliveConnection>> idle = new ArrayList<>();
      Receiver receiver = new Receiver(selector, idle, n);
      try {
        for (int t = 0; t < n; t++) {
          URI target = targets.get(t);
          InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
          byte[] request = requestBytes(target);
          BlockingQueue<KeepAliveConnection> free = new ArrayBlockingQueue<>(connectionsPerTarget);
          idle.add(free);
          for (int c = 0; c < connectionsPerTarget; c++) {
            KeepAliveConnection conn = new KeepAliveConnection(t, address, request);
            conn.open(selector);
            conns.add(conn);
            free.add(conn);
          }
        }
        Thread receiving = new Thread(receiver, "fixed-rate-load-receiver");
        receiving.setDaemon(true);
        receiving.start();
        Sender sender = new Sender(selector, idle, 1e9 / rate, total);
        double cpuBefore = threadCpuSeconds(Thread.currentThread()) + receiver.cpuSeconds();
        long start = System.nanoTime() + 20_000_000L; // the receiver is waiting before the first request is due
        sender.send(start);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (receiver.answered() + sum(sender.errors) + receiver.errorCount() < sum(sender.sent)
            && System.nanoTime() < deadline) {
          LockSupport.parkNanos(1_000_000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = threadCpuSeconds(Thread.currentThread()) + receiver.cpuSeconds() - cpuBefore;
        receiver.stop();
        receiving.join(5_000);
        synchronized (receiver) {
          long answeredAll = 0;
          for (int t = 0; t < n; t++) {
            answeredAll += receiver.latency[t].getTotalCount();
          }
          List<Result> results = new ArrayList<>();
          for (int t = 0; t < n; t++) {
            long due = total / n + (t < total % n ? 1 : 0);
            long count = receiver.latency[t].getTotalCount();
            long errors = sender.errors[t] + receiver.errors[t];
            long unanswered = due - count - errors;
            results.add(new Result(count, errors + Math.max(0, unanswered), receiver.latency[t].copy(),
                sender.lateness[t], sender.waitedForConnection[t], elapsed,
                cpu * count / Math.max(1, answeredAll)));
          }
          return results;
        }
      } finally {
        receiver.stop();
        for (KeepAliveConnection conn : conns) {
          conn.close();
        }
      }
    }
  }

  private static byte[] requestBytes(URI target) {
    return ("GET " + (target.getRawPath().isEmpty() ? "/" : target.getRawPath())
        + (target.getRawQuery() != null ? "?" + target.getRawQuery() : "") + " HTTP/1.1\r\nHost: "
        + target.getHost() + ":" + target.getPort() + "\r\nUser-Agent: fixed-rate-load\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static long sum(long[] values) {
    long sum = 0;
    for (long v : values) {
      sum += v;
    }
    return sum;
  }

  private static double threadCpuSeconds(Thread t) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long nanos = mx.getThreadCpuTime(t.getId());
    return nanos < 0 ? 0 : nanos / 1e9;
  }

  /** Sends every request when it is due on a connection of its target with none in flight, from the caller's thread. */
  private static final class Sender {
    private final Selector selector;
    private final List<BlockingQueue<KeepAliveConnection>> idle;
    private final double intervalNanos;
    private final long total;
    final Histogram[] lateness;
    final long[] sent;
    final long[] errors;
    final long[] waitedForConnection;

    Sender(Selector selector, List<BlockingQueue<KeepAliveConnection>> idle, double intervalNanos, long total) {
      this.selector = selector;
      this.idle = idle;
      this.intervalNanos = intervalNanos;
      this.total = total;
      int n = idle.size();
      lateness = new Histogram[n];
      for (int t = 0; t < n; t++) {
        lateness[t] = new Histogram(HIGHEST_NANOS, 3);
      }
      sent = new long[n];
      errors = new long[n];
      waitedForConnection = new long[n];
    }

    void send(long start) throws InterruptedException {
      int n = idle.size();
      for (long i = 0; i < total; i++) {
        int t = (int) (i % n);
        long intended = start + (long) (i * intervalNanos);
        long now;
        while ((now = System.nanoTime()) < intended) {
          LockSupport.parkNanos(intended - now);
        }
        KeepAliveConnection conn = idle.get(t).poll();
        if (conn == null) { // every connection of the target is waiting for an answer: the first one free takes it
          waitedForConnection[t]++;
          conn = idle.get(t).poll(30, TimeUnit.SECONDS);
          if (conn == null) {
            for (long j = i; j < total; j++) {
              errors[(int) (j % n)]++;
            }
            return;
          }
          now = System.nanoTime();
        }
        lateness[t].recordValue(Math.min(HIGHEST_NANOS, now - intended));
        sent[t]++;
        if (!conn.send(intended, selector) && conn.complete()) {
          errors[t]++;
          idle.get(t).add(conn); // closed: reopened by its next send
        }
      }
    }
  }

  /** Waits for the answers of every connection in one selector and timestamps each as it is read. */
  private static final class Receiver implements Runnable {
    private final Selector selector;
    private final List<BlockingQueue<KeepAliveConnection>> idle;
    /** Per target; guarded by this receiver. */
    final Histogram[] latency;
    /** Per target; written by the receiver thread only, read after it stopped. */
    final long[] errors;
    private volatile long answered;
    private volatile long errorCount;
    private volatile boolean stopped;
    private volatile Thread thread;

    Receiver(Selector selector, List<BlockingQueue<KeepAliveConnection>> idle, int targets) {
      this.selector = selector;
      this.idle = idle;
      latency = new Histogram[targets];
      for (int t = 0; t < targets; t++) {
        latency[t] = new Histogram(HIGHEST_NANOS, 3);
      }
      errors = new long[targets];
    }

    long answered() {
      return answered;
    }

    long errorCount() {
      return errorCount;
    }

    double cpuSeconds() {
      Thread t = thread;
      return t == null ? 0 : threadCpuSeconds(t);
    }

    void stop() {
      stopped = true;
      selector.wakeup();
    }

    @Override
    public void run() {
      thread = Thread.currentThread();
      try {
        while (!stopped) {
          selector.select(key -> {
            long done = System.nanoTime(); // before parsing: the generator's own work is not the server's latency
            KeepAliveConnection conn = (KeepAliveConnection) key.attachment();
            int outcome = conn.readAnswer();
            if (outcome == KeepAliveConnection.PENDING) {
              return;
            }
            if (outcome == KeepAliveConnection.ANSWERED) {
              synchronized (this) {
                latency[conn.target].recordValue(Math.min(HIGHEST_NANOS, done - conn.intended));
              }
              answered++; // only this thread writes it
            } else if (outcome == KeepAliveConnection.FAILED) {
              errors[conn.target]++;
              errorCount++;
            }
            if (outcome != KeepAliveConnection.IDLE_CLOSED) {
              idle.get(conn.target).add(conn); // idle again (a closed one is reopened by its next send)
            }
          });
        }
      } catch (IOException | RuntimeException e) {
        errorCount++; // the receiver is gone: what it did not answer counts as errors of its target
      }
    }
  }
}
