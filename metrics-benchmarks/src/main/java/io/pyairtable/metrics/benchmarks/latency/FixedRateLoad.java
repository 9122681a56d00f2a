package io.pyairtable.metrics.benchmarks.latency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop, fixed-rate HTTP/1.1 load generator: request {@code i} of a run is due at
 * {@code start + i / rate}, whatever the earlier answers did, and its latency is measured from that
 * intended time (so a stall of the server is charged to every request it delayed: coordinated
 * omission corrected, as wrk2 does). The requests are spread round-robin over keep-alive
 * connections, one thread each (connection {@code c} sends requests {@code c, c + C, c + 2C, ...});
 * a connection still waiting for an answer when its next request is due sends it as soon as the
 * answer is in, and that request's latency still counts from when it was due.
 *
 * <p>Latencies go into an HdrHistogram in nanoseconds (3 significant digits). Besides the latency
 * from the intended time, each run records how late the generator itself sent (its own timer
 * resolution, the same for every target), so a reader can tell the generator's share.
 *
 * <pre>{@code
 * FixedRateLoad.Result r = FixedRateLoad.run(URI.create("http://127.0.0.1:8080/hello"), 5_000, 10, 16);
 * System.out.println(r.count() + " answers, p99 " + r.latency().getValueAtPercentile(99) / 1e3 + " us");
 * }</pre>
 */
public final class FixedRateLoad {

  private static final long HIGHEST_NANOS = 60_000_000_000L;

  private FixedRateLoad() {}

  /** What one run measured: answers, failures, latency from the intended send time, and send lateness. */
  public record Result(long count, long errors, Histogram latency, Histogram lateness, double seconds) {

    /** Value at {@code percentile} of the latency, in microseconds. */
    public double micros(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** Answers per second over the run. */
    public double achievedRate() {
      return count / seconds;
    }
  }

  /**
   * Sends {@code rate * seconds} {@code GET} requests to {@code target} at {@code rate} per second
   * over {@code connections} keep-alive connections, then waits for the last answers (at most 30 s).
   *
   * @throws IOException when a connection cannot be opened at the start
   */
  public static Result run(URI target, double rate, double seconds, int connections)
      throws IOException, InterruptedException {
    if (rate <= 0 || seconds <= 0 || connections <= 0) {
      throw new IllegalArgumentException("rate, seconds and connections must be positive");
    }
    long total = Math.round(rate * seconds);
    double intervalNanos = 1e9 / rate;
    byte[] request = ("GET " + (target.getRawPath().isEmpty() ? "/" : target.getRawPath())
        + (target.getRawQuery() != null ? "?" + target.getRawQuery() : "") + " HTTP/1.1\r\nHost: "
        + target.getHost() + ":" + target.getPort() + "\r\nUser-Agent: fixed-rate-load\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress address = new InetSocketAddress(target.getHost(), target.getPort());
    List<Connection> conns = new ArrayList<>();
    try {
      for (int c = 0; c < connections; c++) {
        conns.add(new Connection(address, request));
      }
      long start = System.nanoTime() + 20_000_000L; // every thread is parked before the first request is due
      AtomicLong errors = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        Connection conn = conns.get(c);
        int first = c;
        Thread t = new Thread(() -> conn.drive(start, intervalNanos, first, connections, total, errors),
            "fixed-rate-load-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      long deadline = System.nanoTime() + (long) (seconds * 1e9) + 30_000_000_000L;
      for (Thread t : threads) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      Histogram latency = new Histogram(HIGHEST_NANOS, 3);
      Histogram lateness = new Histogram(HIGHEST_NANOS, 3);
      long count = 0;
      for (Connection conn : conns) {
        synchronized (conn) {
          latency.add(conn.latency);
          lateness.add(conn.lateness);
          count += conn.latency.getTotalCount();
        }
      }
      long unanswered = total - count - errors.get();
      return new Result(count, errors.get() + Math.max(0, unanswered), latency, lateness, elapsed);
    } finally {
      for (Connection conn : conns) {
        conn.close();
      }
    }
  }

  /** One keep-alive connection and the histograms of the requests it sent. */
  private static final class Connection {
    private final InetSocketAddress address;
    private final byte[] request;
    private final byte[] buffer = new byte[16 * 1024];
    final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
    final Histogram lateness = new Histogram(HIGHEST_NANOS, 3);
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private volatile boolean closed;

    Connection(InetSocketAddress address, byte[] request) throws IOException {
      this.address = address;
      this.request = request;
      open();
    }

    private void open() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.connect(address, 5_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    void drive(long start, double intervalNanos, int first, int stride, long total, AtomicLong errors) {
      for (long i = first; i < total && !closed; i += stride) {
        long intended = start + (long) (i * intervalNanos);
        long now;
        while ((now = System.nanoTime()) < intended) {
          LockSupport.parkNanos(intended - now);
        }
        try {
          if (socket == null) {
            open();
          }
          out.write(request);
          out.flush();
          readResponse();
          long done = System.nanoTime();
          synchronized (this) {
            latency.recordValue(Math.min(HIGHEST_NANOS, done - intended));
            lateness.recordValue(Math.min(HIGHEST_NANOS, now - intended));
          }
        } catch (IOException | RuntimeException e) {
          errors.incrementAndGet();
          closeSocket();
        }
      }
    }

    /** Reads one response: headers up to the blank line, then a {@code Content-Length} body. */
    private void readResponse() throws IOException {
      int filled = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        if (filled == buffer.length) {
          throw new IOException("response headers over " + buffer.length + " bytes");
        }
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new IOException("connection closed before the response");
        }
        int from = Math.max(0, filled - 3);
        filled += n;
        headerEnd = indexOfBlankLine(buffer, from, filled);
      }
      String head = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
      if (!head.startsWith("HTTP/1.1 2")) {
        throw new IOException("not a 2xx answer: " + head.lines().findFirst().orElse(""));
      }
      long remaining = contentLength(head) - (filled - headerEnd - 4);
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new IOException("connection closed in the body");
        }
        remaining -= n;
      }
    }

    private static int indexOfBlankLine(byte[] b, int from, int to) {
      for (int i = from; i + 3 < to; i++) {
        if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    private static long contentLength(String head) throws IOException {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
          return Long.parseLong(line.substring(colon + 1).trim());
        }
      }
      throw new IOException("response without Content-Length");
    }

    private void closeSocket() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a failed connection
        }
      }
    }

    void close() {
      closed = true;
      closeSocket();
    }
  }
}
