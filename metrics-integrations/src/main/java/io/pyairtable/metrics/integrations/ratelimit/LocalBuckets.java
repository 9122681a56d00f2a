package io.pyairtable.metrics.integrations.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.function.Function;

/**
 * The limiter's in-process Bucket4j buckets (its fallback, or all of its decisions without Redis):
 * base buckets by base id, token buckets by token key, each dropped once idle for {@code idle}.
 *
 * <pre>{@code
 * LocalBuckets local = new LocalBuckets(baseShare, tokenShare, Duration.ofSeconds(31));
 * Bucket base = local.base("appXXXXXXXXXXXXXX");
 * Bucket token = local.token(keys.token(tokenId));
 * }</pre>
 */
final class LocalBuckets {

  private final Cache<String, Bucket> bases;
  private final Cache<String, Bucket> tokens;
  private final Function<String, Bucket> newBase;
  private final Function<String, Bucket> newToken;

  LocalBuckets(Bandwidth baseShare, Bandwidth tokenShare, Duration idle) {
    this.bases = idleCache(idle);
    this.tokens = idleCache(idle);
    this.newBase = k -> Bucket.builder().addLimit(baseShare).build();
    this.newToken = k -> Bucket.builder().addLimit(tokenShare).build();
  }

  Bucket base(String baseId) {
    return bases.get(baseId, newBase);
  }

  Bucket token(String tokenKey) {
    return tokens.get(tokenKey, newToken);
  }

  /** Buckets kept right now, after dropping idle ones. */
  long trackedKeys() {
    return sizeAfterCleanUp(bases) + sizeAfterCleanUp(tokens);
  }

  /** A cache that drops a key once it has been idle (not read nor written) for {@code idle}. */
  static <V> Cache<String, V> idleCache(Duration idle) {
    return Caffeine.newBuilder().expireAfterAccess(idle).scheduler(Scheduler.systemScheduler()).build();
  }

  static long sizeAfterCleanUp(Cache<String, ?> cache) {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
