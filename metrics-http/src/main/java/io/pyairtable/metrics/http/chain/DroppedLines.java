package io.pyairtable.metrics.http.chain;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.pyairtable.metrics.MetricFamily;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The lines the access-log writer did not write, by reason (an index into the {@code reason}
 * label values): kept in {@link LongAdder}s and counted in
 * {@code access_log_dropped_lines_total{reason}} of every collector bound to it (the count so far
 * is carried over when a collector is bound later). A failing counter never reaches the request.
 *
 * <pre>{@code
 * DroppedLines dropped = new DroppedLines("queue_full", "write_failed", "closed");
 * dropped.countIn(collector);
 * dropped.add(0, 1);
 * dropped.sum(0);   // 1, and 1 in the collector's access_log_dropped_lines_total{reason="queue_full"}
 * }</pre>
 */
final class DroppedLines {

  private final String[] reasons;
  private final LongAdder[] dropped;
  private final List<CounterDataPoint[]> counters = new CopyOnWriteArrayList<>();
  private final Set<Object> boundRegistries = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Counts for these {@code reason} label values (indexed in this order). */
  DroppedLines(String... reasons) {
    this.reasons = reasons.clone();
    this.dropped = new LongAdder[reasons.length];
    for (int i = 0; i < reasons.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  /** Lines dropped so far for reason {@code reason}. */
  long sum(int reason) {
    return dropped[reason].sum();
  }

  /** Lines dropped so far, every reason. */
  long sum() {
    long sum = 0;
    for (LongAdder d : dropped) {
      sum += d.sum();
    }
    return sum;
  }

  /** Counts the drops in {@code collector} too; binding the same collector twice changes nothing. */
  void countIn(MetricsCollector collector) {
    synchronized (boundRegistries) {
      if (!boundRegistries.add(collector.registry())) {
        return;
      }
      MetricFamily<CounterDataPoint> family = collector.registry().family(MetricCatalog.ACCESS_LOG_DROPPED_LINES_TOTAL);
      CounterDataPoint[] points = new CounterDataPoint[reasons.length];
      for (int r = 0; r < reasons.length; r++) {
        points[r] = family.labels(reasons[r]);
        long before = dropped[r].sum();
        if (before > 0) {
          points[r].inc(before);
        }
      }
      counters.add(points);
    }
  }

  void add(int reason, long lines) {
    dropped[reason].add(lines);
    for (CounterDataPoint[] points : counters) {
      try {
        points[reason].inc(lines);
      } catch (RuntimeException ignored) {
        // a failing counter must not reach the request; the LongAdder still has the count
      }
    }
  }
}
