package io.pyairtable.metrics.integrations.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-process {@link AirtableResponseCache} on Caffeine (time to live 300 s and 10,000 entries
 * by default). Evictions come from Caffeine's removal listener, which knows the key, so they are
 * counted per base and table as {@code evict/<cause>} ({@code size}, {@code expired}).
 *
 * <pre>{@code
 * AirtableResponseCache cache = new CaffeineAirtableResponseCache(metrics, Duration.ofSeconds(300), 10_000);
 * cache.put(baseId, "Users", "pageSize=100", body);
 * Optional<String> again = cache.get(baseId, "Users", "pageSize=100");
 * }</pre>
 */
public final class CaffeineAirtableResponseCache implements AirtableResponseCache {

  /** Default time to live of a cached response. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
  /** Default maximum number of cached responses. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  private record Key(String baseId, String tableName, String requestKey) {}

  private final CacheOperations operations;
  private final Cache<Key, String> cache;

  public CaffeineAirtableResponseCache(MetricsCollector collector) {
    this(collector, DEFAULT_TTL, DEFAULT_MAXIMUM_SIZE);
  }

  public CaffeineAirtableResponseCache(MetricsCollector collector, Duration ttl, long maximumSize) {
    this.operations = new CacheOperations(Objects.requireNonNull(collector, "collector"));
    this.cache = Caffeine.newBuilder()
        .expireAfterWrite(ttl)
        .maximumSize(maximumSize)
        .executor(Runnable::run)
        .removalListener((Key key, String value, RemovalCause cause) -> {
          if (key != null && cause.wasEvicted()) {
            operations.record("evict", key.baseId(), key.tableName(), cause.name().toLowerCase(Locale.ROOT));
          }
        })
        .build();
  }

  @Override
  public Optional<String> get(String baseId, String tableName, String requestKey) {
    String body = cache.getIfPresent(new Key(baseId, tableName, requestKey));
    operations.record("get", baseId, tableName, body == null ? "miss" : "hit");
    return Optional.ofNullable(body);
  }

  @Override
  public void put(String baseId, String tableName, String requestKey, String responseBody) {
    cache.put(new Key(baseId, tableName, requestKey), responseBody);
    operations.record("put", baseId, tableName, "success");
  }

  @Override
  public void invalidate(String baseId, String tableName) {
    cache.asMap().keySet().removeIf(k -> k.baseId().equals(baseId) && k.tableName().equals(tableName));
    operations.record("invalidate", baseId, tableName, "success");
  }

  /** Runs Caffeine's pending maintenance (expiry, size eviction) now; mostly for tests. */
  public void cleanUp() {
    cache.cleanUp();
  }

  /** Cached responses right now (approximate, as Caffeine's estimatedSize). */
  public long size() {
    return cache.estimatedSize();
  }
}
