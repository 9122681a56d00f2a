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
 * The lines an {@link AccessLogWriter} did not write, by reason: kept in {@link LongAdder}s and
 * counted in {@code access_log_dropped_lines_total{reason}} of every collector bound to it (the
 * count so far is carried over when a collector is bound later). A failing counter never reaches
 * the request.
 *
 * <pre>{@code
 * DroppedLines dropped = new DroppedLines();
 * dropped.countIn(collector);
 * dropped.add(AccessLogWriter.DropReason.QUEUE_FULL, 1);
 * dropped.sum(AccessLogWriter.DropReason.QUEUE_FULL);   // 1, and 1 in the collector's counter
 * }</pre>
 */
final class DroppedLines {

  private final LongAdder[] dropped = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final List<CounterDataPoint[]> counters = new CopyOnWriteArrayList<>();
  private final Set<Object> boundRegistries = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Lines dropped so far for {@code reason}. */
  long sum(AccessLogWriter.DropReason reason) {
    return dropped[reason.ordinal()].sum();
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
      AccessLogWriter.DropReason[] reasons = AccessLogWriter.DropReason.values();
      CounterDataPoint[] points = new CounterDataPoint[reasons.length];
      for (AccessLogWriter.DropReason r : reasons) {
        points[r.ordinal()] = family.labels(r.label());
        long before = dropped[r.ordinal()].sum();
        if (before > 0) {
          points[r.ordinal()].inc(before);
        }
      }
      counters.add(points);
    }
  }

  void add(AccessLogWriter.DropReason reason, long lines) {
    dropped[reason.ordinal()].add(lines);
    for (CounterDataPoint[] points : counters) {
      try {
        points[reason.ordinal()].inc(lines);
      } catch (RuntimeException ignored) {
        // a failing counter must not reach the request; the LongAdder still has the count
      }
    }
  }
}
