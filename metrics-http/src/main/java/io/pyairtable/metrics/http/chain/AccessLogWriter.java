package io.pyairtable.metrics.http.chain;

import io.pyairtable.metrics.MetricsCollector;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * A fast access log straight to a file, as Jetty's {@code AsyncRequestLogWriter} does it: the
 * request thread queues its fields (one small object, no formatting, no varargs or boxing) on a
 * bounded lock-free ring ({@link LineQueue}: one compare-and-set, no lock shared with the writer);
 * one writer thread drains it in batches (every 50 ms while lines come, so requests never
 * have to wake it), formats them ({@link AccessLogFormat}:
 * JSON by default, or the SLF4J route's text) into a reused buffer and writes each batch with one
 * write to the file. Every batch is written as soon as it is drained, so the file is current
 * whenever the queue is empty.
 *
 * <p><b>When the queue is full</b> (the disk cannot keep up) the line is dropped by default, so a
 * slow disk never holds a request thread, and counted in
 * {@code access_log_dropped_lines_total{reason="queue_full"}} of every collector the writer serves
 * (a chain with metrics binds it; {@link #droppedLines()} too). {@link WhenFull#BLOCK} makes the
 * request wait for room instead: no line is lost, at the cost of back-pressure. A write that fails
 * drops its batch ({@code reason="write_failed"}, logged once) and the file is reopened for the next
 * one; lines still arriving after {@link #close()} are {@code reason="closed"}.
 *
 * <p>{@link #close()} writes every queued line and closes the file; by default a JVM shutdown hook
 * does it too. With {@link Builder#maxFileBytes} set, the file is rotated ({@code access.log} →
 * {@code access.log.1} → … {@code .N}) before a line would take it past that size; lines are
 * never split across files.
 *
 * <pre>{@code
 * AccessLogWriter log = AccessLogWriter.builder(Path.of("logs/access.log"))
 *     .format(AccessLogFormat.JSON).queueCapacity(65_536).whenFull(AccessLogWriter.WhenFull.DROP)
 *     .maxFileBytes(100 << 20).maxFiles(5)
 *     .build();
 * HttpMetrics.setupMiddleware(servletContext, MiddlewareOptions.builder().metricsCollector(collector).accessLog(log).build());
 * }</pre>
 */
public final class AccessLogWriter implements AccessLogSink, AutoCloseable {

  /** What a request does when the queue is full. */
  public enum WhenFull {
    /** Drop the line and count it (the default): the request never waits for the disk. */
    DROP,
    /** Wait for room in the queue: no line is lost, a slow disk slows the requests. */
    BLOCK
  }

  /** Why a line was not written: the {@code reason} label of {@code access_log_dropped_lines_total}. */
  public enum DropReason {
    QUEUE_FULL, WRITE_FAILED, CLOSED;

    /** The label value. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How long the writer lets lines gather between batches while they keep coming, by default. */
  static final Duration LINGER = Duration.ofMillis(50);
  /** How long without a line before the writer parks until the next one (at least one linger). */
  static final Duration IDLE = Duration.ofMillis(50);

  private final Path file;
  private final LineQueue queue;
  private final DroppedLines dropped = new DroppedLines(
      Arrays.stream(DropReason.values()).map(DropReason::label).toArray(String[]::new));
  private final long lingerNanos;
  private final int idlePolls;
  /**
   * A batch this large is written and the queue drained again at once, without lingering: a
   * full batch, or a quarter of the queue (lines coming that fast would fill a small queue
   * during the linger).
   */
  private final int noLingerBatch;
  private final FileSink sink;
  private final Thread thread;
  private final Thread shutdownHook;
  private volatile boolean closed;
  /** The writer thread is parked until a request wakes it (after {@link #IDLE} without a line). */
  private volatile boolean sleeping;

  private AccessLogWriter(Builder b, FileSink.Opener opener) {
    this.file = b.file;
    this.lingerNanos = b.linger.toNanos();
    this.idlePolls = (int) Math.max(1, IDLE.toNanos() / lingerNanos);
    this.queue = new LineQueue(b.queueCapacity, b.whenFull == WhenFull.BLOCK);
    this.noLingerBatch = Math.max(1, Math.min(FileSink.BATCH - 1, b.queueCapacity / 4));
    this.sink = new FileSink(b.file, b.format, opener, b.maxFileBytes, b.maxFiles,
        lines -> drop(DropReason.WRITE_FAILED, lines), LoggerFactory.getLogger(AccessLogWriter.class));
    this.thread = new Thread(this::run, "access-log-writer");
    thread.setDaemon(true);
    thread.start();
    this.shutdownHook = b.closeOnShutdown ? new Thread(this::close, "access-log-writer-close") : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** A writer to {@code file} (created if missing, appended to), with the defaults. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  /** True until {@link #close()}. */
  @Override
  public boolean enabled() {
    return !closed;
  }

  @Override
  public void log(String method, String route, int status, long durationNanos, long requestBytes,
      long responseBytes, String correlationId, String client) {
    if (closed) {
      drop(DropReason.CLOSED, 1);
      return;
    }
    AccessLogEntry e = new AccessLogEntry(System.currentTimeMillis(), method, route, status, durationNanos,
        requestBytes, responseBytes, correlationId, client);
    if (!queue.offer(e)) {
      drop(queue.consumerStopped() ? DropReason.CLOSED : DropReason.QUEUE_FULL, 1);
      return;
    }
    if (sleeping) {
      sleeping = false;
      LockSupport.unpark(thread);
    }
    if (queue.consumerStopped()) { // queued after the writer's last batch: it is never written
      dropLeftovers();
    }
  }

  /** Counts the lines left in the queue once the writer has stopped as dropped ({@code closed}). */
  private void dropLeftovers() {
    int left = queue.removeLeftovers();
    if (left > 0) {
      drop(DropReason.CLOSED, left);
    }
  }

  /** Lines dropped so far for {@code reason}. */
  public long droppedLines(DropReason reason) {
    return dropped.sum(reason.ordinal());
  }

  /** Lines dropped so far, every reason. */
  public long droppedLines() {
    return dropped.sum();
  }

  /** True while the writer thread is parked until a request's line wakes it (nothing came for a while). */
  boolean idle() {
    return sleeping;
  }

  /** Lines written to the file so far. */
  public long writtenLines() {
    return sink.written();
  }

  /**
   * Counts this writer's dropped lines in {@code collector}'s {@code access_log_dropped_lines_total}
   * (one series per reason, 0 until a line is dropped). The chain calls it when it has metrics;
   * binding the same collector twice changes nothing.
   */
  public void countDropsIn(MetricsCollector collector) {
    dropped.countIn(collector);
  }

  private void drop(DropReason reason, long lines) {
    dropped.add(reason.ordinal(), lines);
  }

  /**
   * The writer thread. While lines keep coming it drains the queue every {@link Builder#linger}
   * (or at once after a full batch, a batch of a quarter of the queue, or while requests wait for room)
   * instead of waiting on it, so a request's offer never has a
   * sleeping writer to wake (a futex call and a context switch per request otherwise); after
   * {@link #IDLE} (at least one linger) without a line it parks until the next line's request
   * unparks it.
   */
  private void run() {
    List<AccessLogEntry> batch = new ArrayList<>(FileSink.BATCH);
    int idle = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        queue.drainTo(batch, FileSink.BATCH);
        if (batch.isEmpty()) {
          if (++idle < idlePolls) {
            LockSupport.parkNanos(lingerNanos);
          } else {
            sleeping = true; // then the queue is looked at again: a request either sees this or is seen
            if (queue.isEmpty() && !closed) {
              LockSupport.park(this);
            }
            sleeping = false;
          }
          continue;
        }
        idle = 0;
        boolean last = batch.remove(LineQueue.END);
        int size = batch.size();
        sink.write(batch);
        batch.clear();
        if (last) {
          return;
        }
        if (size < noLingerBatch && !queue.hasWaiters() && !closed) {
          LockSupport.parkNanos(lingerNanos);
        }
      }
    } finally {
      sink.close();
      queue.stopConsumer();
      dropLeftovers();
    }
  }

  /**
   * Stops taking lines, writes every queued one and closes the file (waits up to 10 s for the
   * disk). Lines arriving afterwards are counted as dropped ({@code closed}). Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean marked;
      while (!(marked = queue.tryOffer(LineQueue.END)) && thread.isAlive() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000); // the queue is full: the writer is making room
      }
      if (marked) {
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      dropLeftovers();
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already stopping: the hook runs (and returns at once)
      }
    }
  }

  /** Builds an {@link AccessLogWriter}. */
  public static final class Builder {
    private final Path file;
    private AccessLogFormat format = AccessLogFormat.JSON;
    private int queueCapacity = 65_536;
    private WhenFull whenFull = WhenFull.DROP;
    private Duration linger = LINGER;
    private long maxFileBytes;
    private int maxFiles = 5;
    private boolean closeOnShutdown = true;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /** {@link AccessLogFormat#JSON} (default) or {@link AccessLogFormat#TEXT}. */
    public Builder format(AccessLogFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Lines waiting for the writer thread at most (default 65,536, about 6 MB of queued requests).
     * While lines come faster than a quarter of the queue per {@link #linger}, the writer does not
     * linger; a burst of more than the queue within one linger is dropped (counted) or, with
     * {@link WhenFull#BLOCK}, waits.
     */
    public Builder queueCapacity(int lines) {
      if (lines < 1) {
        throw new IllegalArgumentException("queue capacity must be at least 1, was " + lines);
      }
      this.queueCapacity = lines;
      return this;
    }

    /** {@link WhenFull#DROP} (default: counted) or {@link WhenFull#BLOCK}. */
    public Builder whenFull(WhenFull policy) {
      this.whenFull = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How long the writer lets lines gather before it writes them while they keep coming (default
     * 50 ms, at most 1 s): longer means fewer wake-ups and writes of the writer thread per second,
     * so less CPU per line at every rate, and lines reach the file that much later. The writer
     * thread's CPU per line on the project's 2-core VM ({@code metrics-benchmarks/bin/writer-linger},
     * BENCHMARKS.md): at 500 lines/s 30.8 µs with 10 ms, 7.9 µs with 50 ms, 4.6 µs with 100 ms; at
     * 5,000 lines/s 4.0, 1.5 and 1.2 µs; at 20,000 lines/s 1.6, 0.9 and 0.8 µs.
     */
    public Builder linger(Duration linger) {
      if (linger.isNegative() || linger.isZero() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("linger must be above 0 and at most 1 s, was " + linger);
      }
      this.linger = linger;
      return this;
    }

    /** Rotate before the file would pass this size (default 0: never rotate; use logrotate's copytruncate). */
    public Builder maxFileBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("max file bytes must not be negative, was " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /** Rotated files kept ({@code .1} to {@code .N}, default 5). */
    public Builder maxFiles(int files) {
      if (files < 1) {
        throw new IllegalArgumentException("max files must be at least 1, was " + files);
      }
      this.maxFiles = files;
      return this;
    }

    /** Whether a JVM shutdown hook closes the writer (default true). */
    public Builder closeOnShutdown(boolean on) {
      this.closeOnShutdown = on;
      return this;
    }

    public AccessLogWriter build() {
      return new AccessLogWriter(this, f -> FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND));
    }

    /** With another way to open the file (tests: a channel that stalls). */
    AccessLogWriter build(FileSink.Opener opener) {
      return new AccessLogWriter(this, opener);
    }
  }
}
