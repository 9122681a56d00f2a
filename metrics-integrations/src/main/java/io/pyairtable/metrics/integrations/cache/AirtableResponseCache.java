package io.pyairtable.metrics.integrations.cache;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Airtable gateway's response cache: bodies of Airtable responses keyed by base, table and a
 * request key (for example the query string). Implementations record
 * {@code airtable_cache_operations_total{operation,base_id,table_name,result}},
 * {@code cache_operations_total{operation,result}} and {@code cache_hit_ratio}; a cache failure
 * is counted as {@code result="error"} and behaves as a miss, never as an exception.
 *
 * <pre>{@code
 * AirtableResponseCache cache = new RedisAirtableResponseCache(redisClient, metrics);
 * String body = cache.getOrLoad(baseId, "Users", "pageSize=100", () -> airtable.list(baseId, "Users"));
 * cache.invalidate(baseId, "Users");   // after a write to the table
 * }</pre>
 */
public interface AirtableResponseCache {

  /** The cached body, if any. */
  Optional<String> get(String baseId, String tableName, String requestKey);

  /** Caches {@code responseBody} for the cache's time to live. */
  void put(String baseId, String tableName, String requestKey, String responseBody);

  /** Drops every cached response of a table. */
  void invalidate(String baseId, String tableName);

  /** The cached body, or {@code loader}'s result, which is then cached. */
  default String getOrLoad(String baseId, String tableName, String requestKey, Supplier<String> loader) {
    Optional<String> cached = get(baseId, tableName, requestKey);
    if (cached.isPresent()) {
      return cached.get();
    }
    String body = loader.get();
    put(baseId, tableName, requestKey, body);
    return body;
  }
}
