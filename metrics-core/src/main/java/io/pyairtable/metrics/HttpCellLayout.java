package io.pyairtable.metrics;

import java.util.Arrays;

/**
 * Where one HTTP series keeps its numbers in a cell ({@code long[]}): a version word (the cell's
 * write lock and seqlock), then the duration buckets and sum, the request-size buckets and sum,
 * the response-size buckets and sum. A bucket holds its own count (not cumulative); the duration
 * sum holds the bits of a {@code double}, the size sums whole bytes. Padding before and after keeps
 * two cells, each written by its own thread, off each other's cache lines. Also finds the bucket
 * of a value, as client_java does: the first upper bound at least the value ({@code +Inf} last).
 *
 * <pre>{@code
 * HttpCellLayout layout = new HttpCellLayout(new double[] {0.1, 1}, new double[] {1024}, new double[] {1024});
 * long[] cell = layout.newCell();
 * int slot = layout.durationSlot(0.042);   // layout.duration + 0
 * }</pre>
 */
final class HttpCellLayout {

  /** Longs before the version word and after the last sum: one 64-byte cache line. */
  private static final int PAD = 8;
  static final int VERSION = PAD;

  final double[] durationBounds;
  final double[] requestBounds;
  final double[] responseBounds;
  /** The first slot of each histogram's buckets, and of its sum. */
  final int duration;
  final int durationSum;
  final int request;
  final int requestSum;
  final int response;
  final int responseSum;
  private final int length;

  HttpCellLayout(double[] durationBounds, double[] requestBounds, double[] responseBounds) {
    this.durationBounds = upperBounds(durationBounds);
    this.requestBounds = upperBounds(requestBounds);
    this.responseBounds = upperBounds(responseBounds);
    this.duration = VERSION + 1;
    this.durationSum = duration + this.durationBounds.length;
    this.request = durationSum + 1;
    this.requestSum = request + this.requestBounds.length;
    this.response = requestSum + 1;
    this.responseSum = response + this.responseBounds.length;
    this.length = responseSum + 1 + PAD;
  }

  /** A new, zeroed cell. */
  long[] newCell() {
    return new long[length];
  }

  /** The slots a consistent read copies: from the version word to the last sum. */
  int readEnd() {
    return responseSum + 1;
  }

  int durationSlot(double seconds) {
    return duration + bucket(durationBounds, seconds);
  }

  int requestSlot(long bytes) {
    return request + bucket(requestBounds, bytes);
  }

  int responseSlot(long bytes) {
    return response + bucket(responseBounds, bytes);
  }

  private static int bucket(double[] bounds, double value) {
    int last = bounds.length - 1;
    for (int i = 0; i < last; i++) {
      if (value <= bounds[i]) {
        return i;
      }
    }
    return last; // +Inf
  }

  /** The bounds sorted, without duplicates, ending with {@code +Inf}, as client_java's builder makes them. */
  static double[] upperBounds(double[] configured) {
    double[] sorted = Arrays.stream(configured).sorted().distinct().toArray();
    if (sorted.length > 0 && sorted[sorted.length - 1] == Double.POSITIVE_INFINITY) {
      return sorted;
    }
    double[] withInf = Arrays.copyOf(sorted, sorted.length + 1);
    withInf[sorted.length] = Double.POSITIVE_INFINITY;
    return withInf;
  }
}
