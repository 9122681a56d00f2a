package io.pyairtable.metrics.benchmarks.latency;

import java.io.IOException;
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
    if (rate <= 0 || seconds <= 0 || connections <= 0) {
      throw new IllegalArgumentException("rate, seconds and connections must be positive");
    }
    long total = Math.round(rate * seconds);
    byte[] request = ("GET " + (target.getRawPath().isEmpty() ? "/" : target.getRawPath())
        + (target.getRawQuery() != null ? "?" + target.getRawQuery() : "") + " HTTP/1.1\r\nHost: "
        + target.getHost() + ":" + target.getPort() + "\r\nUser-Agent: fixed-rate-load\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
    try (Selector selector = Selector.open()) {
      List<KeepAliveConnection> conns = new ArrayList<>();
      BlockingQueue<KeepAliveConnection> idle = new ArrayBlockingQueue<>(connections);
      Receiver receiver = new Receiver(selector, idle);
      try {
        for (int c = 0; c < connections; c++) {
          KeepAliveConnection conn = new KeepAliveConnection(address, request);
          conn.open(selector);
          conns.add(conn);
          idle.add(conn);
        }
        Thread receiving = new Thread(receiver, "fixed-rate-load-receiver");
        receiving.setDaemon(true);
        receiving.start();
        Sender sender = new Sender(selector, idle, 1e9 / rate, total);
        double cpuBefore = threadCpuSeconds(Thread.currentThread()) + receiver.cpuSeconds();
        long start = System.nanoTime() + 20_000_000L; // the receiver is waiting before the first request is due
        sender.send(start);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (receiver.answered() + sender.errors + receiver.errors() < sender.sent && System.nanoTime() < deadline) {
          LockSupport.parkNanos(1_000_000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = threadCpuSeconds(Thread.currentThread()) + receiver.cpuSeconds() - cpuBefore;
        receiver.stop();
        receiving.join(5_000);
        synchronized (receiver) {
          long count = receiver.latency.getTotalCount();
          long errors = sender.errors + receiver.errors();
          long unanswered = total - count - errors;
          return new Result(count, errors + Math.max(0, unanswered), receiver.latency.copy(), sender.lateness,
              sender.waitedForConnection,
              elapsed, cpu);
        }
      } finally {
        receiver.stop();
        for (KeepAliveConnection conn : conns) {
          conn.close();
        }
      }
    }
  }

  private static double threadCpuSeconds(Thread t) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long nanos = mx.getThreadCpuTime(t.getId());
    return nanos < 0 ? 0 : nanos / 1e9;
  }

  /** Sends every request when it is due on a connection with none in flight, from the caller's thread. */
  private static final class Sender {
    private final Selector selector;
    private final BlockingQueue<KeepAliveConnection> idle;
    private final double intervalNanos;
    private final long total;
    final Histogram lateness = new Histogram(HIGHEST_NANOS, 3);
    long sent;
    long errors;
    long waitedForConnection;

    Sender(Selector selector, BlockingQueue<KeepAliveConnection> idle, double intervalNanos, long total) {
      this.selector = selector;
      this.idle = idle;
      this.intervalNanos = intervalNanos;
      this.total = total;
    }

    void send(long start) throws InterruptedException {
      for (long i = 0; i < total; i++) {
        long intended = start + (long) (i * intervalNanos);
        long now;
        while ((now = System.nanoTime()) < intended) {
          LockSupport.parkNanos(intended - now);
        }
        KeepAliveConnection conn = idle.poll();
        if (conn == null) { // every connection is waiting for an answer: the first one free takes it
          waitedForConnection++;
          conn = idle.poll(30, TimeUnit.SECONDS);
          if (conn == null) {
            errors += total - i;
            return;
          }
          now = System.nanoTime();
        }
        lateness.recordValue(Math.min(HIGHEST_NANOS, now - intended));
        sent++;
        if (!conn.send(intended, selector) && conn.complete()) {
          errors++;
          idle.add(conn); // closed: reopened by its next send
        }
      }
    }
  }

  /** Waits for the answers of every connection in one selector and timestamps each as it is read. */
  private static final class Receiver implements Runnable {
    private final Selector selector;
    private final BlockingQueue<KeepAliveConnection> idle;
    final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
    private volatile long answered;
    private volatile long errors;
    private volatile boolean stopped;
    private volatile Thread thread;

    Receiver(Selector selector, BlockingQueue<KeepAliveConnection> idle) {
      this.selector = selector;
      this.idle = idle;
    }

    long answered() {
      return answered;
    }

    long errors() {
      return errors;
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
                latency.recordValue(Math.min(HIGHEST_NANOS, done - conn.intended));
              }
              answered++; // only this thread writes it
            } else if (outcome == KeepAliveConnection.FAILED) {
              errors++;
            }
            if (outcome != KeepAliveConnection.IDLE_CLOSED) {
              idle.add(conn); // idle again (a closed one is reopened by its next send)
            }
          });
        }
      } catch (IOException | RuntimeException e) {
        errors++;
      }
    }
  }
}
