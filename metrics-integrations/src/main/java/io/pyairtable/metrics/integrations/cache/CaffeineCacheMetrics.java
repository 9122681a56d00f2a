package io.pyairtable.metrics.integrations.cache;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.pyairtable.metrics.MetricsCollector;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Caffeine {@link StatsCounter} (the hook Caffeine calls for every hit, miss, load and
 * eviction) that also records {@code cache_operations_total{operation,result}} and the
 * {@code cache_hit_ratio} gauge: {@code get/hit}, {@code get/miss}, {@code put/success} (a value
 * loaded into the cache), {@code load/failure}, {@code evict/<cause>} ({@code size},
 * {@code expired}, {@code collected}). Caffeine's own {@code cache.stats()} keeps working.
 * Explicit {@code cache.put(k, v)} calls are invisible to a StatsCounter; use
 * {@link CaffeineAirtableResponseCache} when puts must be counted too.
 *
 * <pre>{@code
 * Cache<String, Schema> schemas = Caffeine.newBuilder()
 *     .maximumSize(1_000)
 *     .recordStats(CaffeineCacheMetrics.statsCounter(metrics))
 *     .build();
 * }</pre>
 */
public final class CaffeineCacheMetrics implements StatsCounter {

  private final MetricsCollector collector;
  private final CacheHitRatio ratio;
  private final ConcurrentStatsCounter stats = new ConcurrentStatsCounter();

  public CaffeineCacheMetrics(MetricsCollector collector) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.ratio = CacheHitRatio.of(collector);
  }

  /** A supplier for {@code Caffeine.recordStats(...)}. */
  public static Supplier<StatsCounter> statsCounter(MetricsCollector collector) {
    return () -> new CaffeineCacheMetrics(collector);
  }

  @Override
  public void recordHits(int count) {
    stats.recordHits(count);
    for (int i = 0; i < count; i++) {
      collector.recordCacheOperation("get", "hit");
    }
    ratio.hit(count);
  }

  @Override
  public void recordMisses(int count) {
    stats.recordMisses(count);
    for (int i = 0; i < count; i++) {
      collector.recordCacheOperation("get", "miss");
    }
    ratio.miss(count);
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    stats.recordLoadSuccess(loadTime);
    collector.recordCacheOperation("put", "success");
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    stats.recordLoadFailure(loadTime);
    collector.recordCacheOperation("load", "failure");
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    stats.recordEviction(weight, cause);
    collector.recordCacheOperation("evict", cause.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public CacheStats snapshot() {
    return stats.snapshot();
  }
}
