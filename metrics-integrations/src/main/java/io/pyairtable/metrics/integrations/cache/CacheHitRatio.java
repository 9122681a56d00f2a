package io.pyairtable.metrics.integrations.cache;

import io.pyairtable.metrics.MetricsCollector;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code cache_hit_ratio} gauge of one collector: hits / (hits + misses) over every cache
 * instrumented by this module for that collector (the gauge has no cache label). Each collector
 * gets its own instance, so two collectors in one JVM never mix their ratios.
 *
 * <pre>{@code
 * CacheHitRatio ratio = CacheHitRatio.of(metrics);
 * ratio.hit();
 * ratio.miss();
 * double r = ratio.ratio();   // 0.5, also exposed as cache_hit_ratio
 * }</pre>
 */
public final class CacheHitRatio {

  private static final Map<MetricsCollector, CacheHitRatio> BY_COLLECTOR =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MetricsCollector collector;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  private CacheHitRatio(MetricsCollector collector) {
    this.collector = collector;
  }

  /** The ratio of {@code collector}'s caches. */
  public static CacheHitRatio of(MetricsCollector collector) {
    return BY_COLLECTOR.computeIfAbsent(collector, CacheHitRatio::new);
  }

  /** Counts lookups that hit and updates the gauge. */
  public void hit(long count) {
    hits.add(count);
    publish();
  }

  public void hit() {
    hit(1);
  }

  /** Counts lookups that missed and updates the gauge. */
  public void miss(long count) {
    misses.add(count);
    publish();
  }

  public void miss() {
    miss(1);
  }

  /** hits / (hits + misses), or 0 before the first lookup. */
  public double ratio() {
    long h = hits.sum();
    long total = h + misses.sum();
    return total == 0 ? 0 : (double) h / total;
  }

  private void publish() {
    collector.updateCacheHitRatio(ratio());
  }
}
