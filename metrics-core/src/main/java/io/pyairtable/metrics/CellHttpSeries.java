package io.pyairtable.metrics;

import static io.pyairtable.metrics.HttpCellLayout.VERSION;

import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

/**
 * One HTTP series in this project's own storage: the duration, request-size and response-size
 * buckets and sums of one (method, endpoint, status code) combination, in one cell
 * ({@code long[]}, {@link HttpCellLayout}) while one thread at a time records, striped over more
 * cells, LongAdder-style, when threads collide: a record that finds its cell taken doubles the
 * cells (up to {@link #MAX_CELLS}) and moves on; each thread starts at the cell its thread id
 * hashes to (no thread-local lookup per record) and, when that cell is taken, tries the others.
 *
 * <p>A record takes its cell with one compare-and-set of the cell's version word (even: free, odd:
 * being written), writes the buckets and sums with plain stores and releases the cell with an
 * ordered store of the next even version: one atomic read-modify-write per request for all three
 * histograms and the request count. There is no count: it is the sum of the buckets. A read
 * ({@link #read}) copies a cell between two equal even versions (a seqlock), so every request is
 * seen whole (its duration bucket and sum, both sizes and the count) or not at all.
 *
 * <p>The duration keeps one exemplar per bucket, the latest offered: a correlation id offered
 * (at most every 100 ms per series, {@link HttpSeries#exemplarDue()}) replaces the exemplar of
 * its bucket, with the trace and span ids of the current span when a tracer is present.
 *
 * <pre>{@code
 * CellHttpSeries s = new CellHttpSeries(layout, labels, "200", 200, true);
 * s.observe(0.042, 120, 2048, null);
 * long[] totals = new long[layout.readEnd()];
 * s.read(totals);
 * }</pre>
 */
final class CellHttpSeries extends HttpSeries {

  /** LongAdder's bound: the next power of two at least twice the processors. */
  static final int MAX_CELLS = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle EXEMPLAR = MethodHandles.arrayElementVarHandle(Exemplar[].class);

  final HttpCellLayout layout;
  /** Every label of the series (common labels included), as exposed. */
  final Labels labels;
  /** When the series was bound, its created timestamp. */
  final long createdMillis;
  /** The duration's exemplar per bucket, null when the duration keeps none. */
  private final Exemplar[] exemplars;
  /** One cell, or a power of two of them; grows, never shrinks; cells are never replaced. */
  private volatile long[][] cells;

  CellHttpSeries(HttpCellLayout layout, Labels labels, String statusCode, int code, boolean exemplars) {
    super(statusCode, code);
    this.layout = layout;
    this.labels = labels;
    this.createdMillis = System.currentTimeMillis();
    this.exemplars = exemplars ? new Exemplar[layout.durationBounds.length] : null;
    this.cells = new long[][] {layout.newCell()};
  }

  @Override
  void observe(double seconds, long requestBytes, long responseBytes, String exemplarId) {
    HttpCellLayout l = layout;
    int d = l.durationSlot(seconds);
    int q = requestBytes >= 0 ? l.requestSlot(requestBytes) : -1;
    int r = responseBytes >= 0 ? l.responseSlot(responseBytes) : -1;
    long[][] cs = cells;
    long[] c = cs.length == 1 ? cs[0] : cs[home() & (cs.length - 1)];
    long v = (long) SLOT.getOpaque(c, VERSION);
    if ((v & 1) == 0 && SLOT.compareAndSet(c, VERSION, v, v + 1)) {
      VarHandle.storeStoreFence(); // no store of the record seen before the odd version (as StampedLock)
      write(c, l, d, seconds, q, requestBytes, r, responseBytes);
      SLOT.setRelease(c, VERSION, v + 2);
    } else {
      contended(cs, d, seconds, q, requestBytes, r, responseBytes);
    }
    if (exemplarId != null && exemplars != null) {
      EXEMPLAR.setRelease(exemplars, d - l.duration, HttpExemplars.of(seconds, exemplarId));
    }
  }

  /**
   * Another thread holds the cell: grow the cells once (up to {@link #MAX_CELLS}), then take the
   * first free cell, starting at this thread's own and moving on by a xorshift step after each
   * failed attempt.
   */
  private void contended(long[][] cs, int d, double seconds, int q, long in, int r, long out) {
    if (cs.length < MAX_CELLS) {
      cs = grow(cs);
    }
    int probe = home();
    for (int attempt = 0; ; attempt++) {
      long[] c = cs[probe & (cs.length - 1)];
      long v = (long) SLOT.getOpaque(c, VERSION);
      if ((v & 1) == 0 && SLOT.compareAndSet(c, VERSION, v, v + 1)) {
        VarHandle.storeStoreFence();
        write(c, layout, d, seconds, q, in, r, out);
        SLOT.setRelease(c, VERSION, v + 2);
        return;
      }
      probe = next(probe);
      if (attempt >= 16 * cs.length) {
        Thread.yield(); // every cell held, its writers off their cores: let them finish
      } else if (attempt >= cs.length) {
        Thread.onSpinWait();
      }
    }
  }

  private long[][] grow(long[][] seen) {
    synchronized (this) {
      long[][] now = cells;
      if (now == seen && now.length < MAX_CELLS) {
        now = Arrays.copyOf(seen, seen.length * 2);
        for (int i = seen.length; i < now.length; i++) {
          now[i] = layout.newCell();
        }
        cells = now;
      }
      return now;
    }
  }

  /** Called with the cell taken: plain stores, published by the release of the version. */
  private static void write(long[] c, HttpCellLayout l, int d, double seconds, int q, long in, int r, long out) {
    SLOT.setOpaque(c, d, c[d] + 1);
    int s = l.durationSum;
    SLOT.setOpaque(c, s, Double.doubleToRawLongBits(Double.longBitsToDouble(c[s]) + seconds));
    if (q >= 0) {
      SLOT.setOpaque(c, q, c[q] + 1);
      SLOT.setOpaque(c, l.requestSum, c[l.requestSum] + in);
    }
    if (r >= 0) {
      SLOT.setOpaque(c, r, c[r] + 1);
      SLOT.setOpaque(c, l.responseSum, c[l.responseSum] + out);
    }
  }

  /**
   * The calling thread's first cell (before masking): its thread id, Fibonacci-hashed so that
   * consecutive ids land on different cells; never 0 (a xorshift step would stay there). A field
   * read and a multiply instead of a lookup in the thread's thread-local map, which on a Jetty
   * thread is crowded by Jetty's and logback's own.
   */
  private static int home() {
    int h = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 32);
    return h != 0 ? h : 1;
  }

  /** A xorshift step: the probe's next cell. */
  private static int next(int probe) {
    probe ^= probe << 13;
    probe ^= probe >>> 17;
    return probe ^ (probe << 5);
  }

  /**
   * Adds this series' totals into {@code totals} (indexed by the layout's slots, length at least
   * {@link HttpCellLayout#readEnd()}): bucket counts and size sums added, the duration sums
   * added as doubles into slot {@code durationSum} (as bits). Each cell is copied whole between
   * two writes, so every request is in the totals with all its numbers or not at all.
   */
  void read(long[] totals) {
    HttpCellLayout l = layout;
    long[] copy = new long[l.readEnd()];
    double durationSum = Double.longBitsToDouble(totals[l.durationSum]);
    for (long[] c : cells) {
      readConsistent(c, copy);
      for (int i = l.duration; i < copy.length; i++) {
        if (i != l.durationSum) {
          totals[i] += copy[i];
        }
      }
      durationSum += Double.longBitsToDouble(copy[l.durationSum]);
    }
    totals[l.durationSum] = Double.doubleToRawLongBits(durationSum);
  }

  private static void readConsistent(long[] c, long[] copy) {
    for (int spins = 0; ; spins++) {
      long before = (long) SLOT.getAcquire(c, VERSION);
      if ((before & 1) == 0) {
        for (int i = VERSION + 1; i < copy.length; i++) {
          copy[i] = (long) SLOT.getOpaque(c, i);
        }
        VarHandle.acquireFence();
        if ((long) SLOT.getOpaque(c, VERSION) == before) {
          return;
        }
      }
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield(); // the writer holding the cell lost its core
      }
    }
  }

  /** The duration's exemplars not older than client_java's retention, in bucket order. */
  void exemplars(List<Exemplar> into, long nowMillis) {
    if (exemplars == null) {
      return;
    }
    for (int i = 0; i < exemplars.length; i++) {
      Exemplar e = (Exemplar) EXEMPLAR.getAcquire(exemplars, i);
      if (e != null && nowMillis - e.getTimestampMillis() <= HttpExemplars.MAX_RETENTION_MILLIS) {
        into.add(e);
      }
    }
  }

  /** How many cells this series records into (one until threads collide). */
  int cellCount() {
    return cells.length;
  }

  /** Cell {@code i}, for tests that take it as a writer would (its version word made odd). */
  long[] cell(int i) {
    return cells[i];
  }
}
