package io.pyairtable.metrics.integrations.cache;

import io.pyairtable.metrics.MetricsCollector;

/**
 * Records one response-cache operation in both the Airtable family (with base and table) and the
 * generic family, and feeds the hit ratio.
 *
 * <pre>{@code
 * CacheOperations ops = new CacheOperations(metrics);
 * ops.record("get", baseId, table, "hit");
 * }</pre>
 */
final class CacheOperations {

  private final MetricsCollector collector;
  private final CacheHitRatio ratio;

  CacheOperations(MetricsCollector collector) {
    this.collector = collector;
    this.ratio = CacheHitRatio.of(collector);
  }

  void record(String operation, String baseId, String tableName, String result) {
    collector.airtableGateway().recordCacheOperation(operation, baseId, tableName, result);
    collector.recordCacheOperation(operation, result);
    if ("get".equals(operation)) {
      if ("hit".equals(result)) {
        ratio.hit();
      } else {
        ratio.miss();
      }
    }
  }
}
