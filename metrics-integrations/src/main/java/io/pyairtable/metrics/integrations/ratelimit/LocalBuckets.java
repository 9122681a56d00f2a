package io.pyairtable.metrics.integrations.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * The limiter's in-process Bucket4j buckets (its fallback, or all of its decisions without Redis):
 * base buckets by base id, token buckets by token key, each dropped once idle for {@code idle}.
 *
 * <p>A bucket starts full, except for a key the limiter decided in Redis within the time a bucket
 * takes to fill ({@link #decidedInRedis}): its Redis bucket may just have granted its whole burst, so its
 * local bucket holds what it would hold had it been created empty at that last Redis decision
 * (refilled at its rate since). A base's grants across a switch from Redis to these buckets then
 * stay within what one bucket grants in any second; a full local bucket would add a second burst.
 * On the way back, the first Redis decision of a key charges the Redis bucket with what its local
 * bucket granted and has not refilled ({@link #handBack}) and drops it, so one filled in an
 * earlier outage is not found full in the next either.
 *
 * <pre>{@code
 * LocalBuckets local = new LocalBuckets(baseShare, tokenShare, Duration.ofSeconds(31));
 * local.handBack("appXXXXXXXXXXXXXX", tokenKey, redisBase, redisToken);   // before a decision in Redis
 * local.decidedInRedis("appXXXXXXXXXXXXXX", tokenKey);   // after it
 * Bucket base = local.base("appXXXXXXXXXXXXXX");         // Redis failed: empty 0 ms after that decision
 * Bucket token = local.token(tokenKey);
 * }</pre>
 */
final class LocalBuckets {

  private final Bandwidth baseShare;
  private final Bandwidth tokenShare;
  private final Cache<String, Bucket> bases;
  private final Cache<String, Bucket> tokens;
  /** When each key was last decided in Redis (System.nanoTime), kept for the time a bucket takes to fill. */
  private final Cache<String, Long> basesInRedis;
  private final Cache<String, Long> tokensInRedis;

  /** {@code idle}: how long an unused bucket is kept. */
  LocalBuckets(Bandwidth baseShare, Bandwidth tokenShare, Duration idle) {
    this.baseShare = baseShare;
    this.tokenShare = tokenShare;
    this.bases = idleCache(idle);
    this.tokens = idleCache(idle);
    // a Redis decision older than the time a bucket takes to fill from empty changes nothing
    Duration refill = Duration.ofNanos(Math.max(fillNanos(baseShare), fillNanos(tokenShare)));
    this.basesInRedis = Caffeine.newBuilder().expireAfterWrite(refill).scheduler(Scheduler.systemScheduler()).build();
    this.tokensInRedis = Caffeine.newBuilder().expireAfterWrite(refill).scheduler(Scheduler.systemScheduler()).build();
  }

  /**
   * A replica's share of a limit while it decides alone: {@code permits} refilled over
   * {@code replicas} periods (so the replicas' rates add up to the limit), and a burst of
   * {@code permits / replicas} (at least 1).
   */
  static Bandwidth share(long permits, Duration period, int replicas) {
    return Bandwidth.builder().capacity(Math.max(1, permits / replicas))
        .refillGreedy(permits, period.multipliedBy(replicas)).build();
  }

  Bucket base(String baseId) {
    return bases.get(baseId, k -> bucket(baseShare, basesInRedis.getIfPresent(k)));
  }

  Bucket token(String tokenKey) {
    return tokens.get(tokenKey, k -> bucket(tokenShare, tokensInRedis.getIfPresent(k)));
  }

  /**
   * Before a decision in Redis: a local bucket of {@code baseId} or {@code tokenKey} left from a
   * fallback hands what it granted and has not refilled yet (its capacity less its tokens, a
   * cool-down's debt included) to the Redis bucket, which refilled meanwhile, and is dropped. So the
   * switch back adds no burst either: the Redis bucket counts the calls this replica just sent.
   * Throws what the Redis bucket throws (the local bucket is then kept for the fallback).
   */
  void handBack(String baseId, String tokenKey, Bucket redisBase, Bucket redisToken) {
    handBack(bases, baseId, baseShare, redisBase);
    handBack(tokens, tokenKey, tokenShare, redisToken);
  }

  private static void handBack(Cache<String, Bucket> cache, String key, Bandwidth share, Bucket redis) {
    Bucket local = cache.getIfPresent(key);
    if (local == null || !cache.asMap().remove(key, local)) {
      return; // none, or another decision is handing it back
    }
    long granted = share.getCapacity() - local.getAvailableTokens();
    if (granted > 0) {
      try {
        redis.consumeIgnoringRateLimits(granted);
      } catch (RuntimeException e) {
        cache.asMap().putIfAbsent(key, local); // still falling back: the bucket goes on counting
        throw e;
      }
    }
  }

  /** The limiter has just decided {@code baseId} and {@code tokenKey} in Redis. */
  void decidedInRedis(String baseId, String tokenKey) {
    Long now = System.nanoTime();
    basesInRedis.put(baseId, now);
    tokensInRedis.put(tokenKey, now);
  }

  /** Buckets kept right now, after dropping idle ones (the times of Redis decisions last a second at most). */
  long trackedKeys() {
    return sizeAfterCleanUp(bases) + sizeAfterCleanUp(tokens);
  }

  /** How long a bucket of {@code share} takes to fill from empty. */
  static long fillNanos(Bandwidth share) {
    return (long) Math.ceil((double) share.getCapacity() * share.getRefillPeriodNanos() / share.getRefillTokens());
  }

  /** What a bucket of {@code share} created empty at {@code emptyAtNanos} holds at {@code nowNanos}. */
  static long refilledSince(Bandwidth share, long emptyAtNanos, long nowNanos) {
    long elapsed = Math.max(0, nowNanos - emptyAtNanos);
    if (elapsed >= fillNanos(share)) {
      return share.getCapacity();
    }
    long refilled = (long) Math.floor((double) share.getRefillTokens() * elapsed / share.getRefillPeriodNanos());
    return Math.min(share.getCapacity(), refilled);
  }

  /** A full bucket of {@code share}, or, after a Redis decision at {@code inRedis}, one counted from empty then. */
  private static Bucket bucket(Bandwidth share, Long inRedis) {
    long held = inRedis == null ? share.getCapacity() : refilledSince(share, inRedis, System.nanoTime());
    if (held >= share.getCapacity()) {
      return Bucket.builder().addLimit(share).build();
    }
    return Bucket.builder().addLimit(Bandwidth.builder().capacity(share.getCapacity())
        .refillGreedy(share.getRefillTokens(), Duration.ofNanos(share.getRefillPeriodNanos()))
        .initialTokens(held).build()).build();
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
