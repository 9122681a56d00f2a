package io.pyairtable.metrics.integrations.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Airtable's rate limits (5 requests/second per base, 50 per access token) shared by every
 * service instance through Redis, on Bucket4j's Lettuce integration, with an in-process fallback
 * while Redis is unreachable.
 *
 * <p><b>Charged once.</b> {@link #checkBaseLimit} takes one token from the base bucket, then one
 * from the token bucket. If the base bucket refuses, the token bucket is not touched; if the token
 * bucket refuses, the base token is given back ({@code addTokens(1)}), so a refused request costs
 * nothing and a granted one costs exactly one token of each.
 *
 * <p><b>Upstream 429.</b> {@link #onUpstreamResponse} puts the base into a cool-down (30 s by
 * default): this instance refuses the base until it ends, and the shared base bucket is put into
 * debt for the same time ({@code consumeIgnoringRateLimits}), so the other instances wait too.
 * A 429 of type {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED} is a used-up monthly quota: it is
 * reported in {@code airtable_api_quota_usage{quota_type="monthly_billing"}} as 100 and answered
 * {@link UpstreamOutcome#QUOTA_EXCEEDED} (not retryable).
 *
 * <p><b>Redis down.</b> A failed or slow (over {@code redisTimeout}) Redis call switches the
 * limiter to in-process Bucket4j buckets ({@link FallbackMode#FAIL_OPEN}, default) or to refusing
 * everything ({@link FallbackMode#FAIL_CLOSED}); each such decision is counted in
 * {@code airtable_rate_limiter_fallback_total}. Redis is then probed in the background with
 * exponential backoff, and the limiter is distributed again once a PING answers. How soon that
 * happens also depends on the Lettuce client's own reconnect delay. Several users of one Redis
 * share one {@link RedisAvailability} through the constructor that takes it, so that the first
 * failure any of them sees stops all of them from waiting on Redis.
 *
 * <p><b>Redis Cluster.</b> Built on a {@link RedisEndpoint} of a cluster, the buckets live on
 * the cluster (Bucket4j's Lettuce proxy manager on a cluster connection); keys are hash-tagged,
 * {@code pyairtable:ratelimit:{appXXX}:base} and {@code pyairtable:ratelimit:{<token digest>}:token},
 * so one base's bucket lives on one slot. A master that dies is a Redis failure like any other:
 * fallback until its replica is promoted and a probe answers.
 *
 * <p><b>Share while falling back.</b> With {@code localShareOf(n)} (n gateway replicas) each
 * replica's in-process buckets hold {@code 1/n} of each limit (rate {@code permits/n} per period,
 * burst {@code max(1, permits/n)}), so n replicas falling back together stay within Airtable's limit.
 *
 * <p><b>Bounded state.</b> Per-base and per-token state is kept in Caffeine caches that drop a key
 * once it has been idle for longer than its bucket needs to refill after a cool-down
 * ({@code max(basePeriod, tokenPeriod) + coolDown}), so random base ids cannot grow memory.
 *
 * <p>Metrics: {@code airtable_rate_limit_hits_total{base_id,limit_type}} (base, token,
 * upstream_429), {@code airtable_rate_limit_remaining{base_id,limit_type}},
 * {@code airtable_request_queue_size{base_id}} while {@link #acquire} waits.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create("redis://localhost:6379");
 * try (AirtableRateLimiter limiter = AirtableRateLimiter.createMetricsEnabledAirtableLimiter(redis, metrics)) {
 *   RateLimitDecision d = limiter.checkBaseLimit("appXXXXXXXXXXXXXX");
 *   if (d.allowed()) {
 *     HttpResponse<String> r = callAirtable();
 *     limiter.onUpstreamResponse("appXXXXXXXXXXXXXX", r.statusCode(), errorTypeOf(r));
 *   }
 * }
 * }</pre>
 */
public final class AirtableRateLimiter implements AutoCloseable {

  private final MetricsCollector collector;
  private final AirtableRateLimiterConfig config;
  private final BucketConfiguration baseBuckets;
  private final BucketConfiguration tokenBuckets;
  private final Bandwidth localBase;
  private final Bandwidth localToken;
  private final Cache<String, Bucket> localBuckets;
  private final Cache<String, Bucket> remoteBuckets;
  private final Cache<String, Long> coolDownUntil;
  private final Cache<String, AtomicInteger> waiting;
  private final RedisBuckets redis;
  private final RedisAvailability availability;
  private final boolean ownsAvailability;
  private volatile boolean closed;
  /** Waits in {@link #acquire} end on it when the limiter closes. */
  private final Object closing = new Object();

  /** The README's factory: Airtable's default limits, shared through {@code redisClient}. */
  public static AirtableRateLimiter createMetricsEnabledAirtableLimiter(RedisClient redisClient,
      MetricsCollector collector) {
    return new AirtableRateLimiter(redisClient, collector, AirtableRateLimiterConfig.defaults());
  }

  /** A limiter with explicit settings, shared through {@code redisClient}. */
  public static AirtableRateLimiter createMetricsEnabledAirtableLimiter(RedisClient redisClient,
      MetricsCollector collector, AirtableRateLimiterConfig config) {
    return new AirtableRateLimiter(redisClient, collector, config);
  }

  /**
   * Connects to Redis through {@code redisClient} (its own connection, closed by {@link #close()}).
   * If Redis is unreachable now, the limiter starts in fallback and connects when a probe succeeds.
   */
  public AirtableRateLimiter(RedisClient redisClient, MetricsCollector collector, AirtableRateLimiterConfig config) {
    this(RedisEndpoint.of(Objects.requireNonNull(redisClient, "redisClient")), collector, config);
  }

  /** As {@link #AirtableRateLimiter(RedisClient, MetricsCollector, AirtableRateLimiterConfig)}, on one Redis or a cluster. */
  public AirtableRateLimiter(RedisEndpoint endpoint, MetricsCollector collector, AirtableRateLimiterConfig config) {
    this(endpoint, collector, config, null);
  }

  /**
   * A limiter that follows a {@link RedisAvailability} shared with the other users of the same
   * Redis (the response cache, say): when one of them sees Redis fail, none waits on it any more.
   * Connects when Redis is reachable; the availability is not closed by {@link #close()}.
   */
  public AirtableRateLimiter(RedisClient redisClient, MetricsCollector collector, AirtableRateLimiterConfig config,
      RedisAvailability shared) {
    this(RedisEndpoint.of(Objects.requireNonNull(redisClient, "redisClient")), collector, config,
        Objects.requireNonNull(shared, "shared"));
  }

  /**
   * As {@link #AirtableRateLimiter(RedisClient, MetricsCollector, AirtableRateLimiterConfig, RedisAvailability)},
   * on one Redis or a cluster; {@code shared} null gives the limiter an availability of its own
   * (probing with PING on its connection), closed with it.
   */
  public AirtableRateLimiter(RedisEndpoint endpoint, MetricsCollector collector, AirtableRateLimiterConfig config,
      RedisAvailability shared) {
    Objects.requireNonNull(endpoint, "endpoint");
    this.collector = Objects.requireNonNull(collector, "collector");
    this.config = Objects.requireNonNull(config, "config");
    this.baseBuckets = bucketConfiguration(config.basePermits(), config.basePeriod());
    this.tokenBuckets = bucketConfiguration(config.tokenPermits(), config.tokenPeriod());
    this.localBase = localShare(config.basePermits(), config.basePeriod(), config.replicas());
    this.localToken = localShare(config.tokenPermits(), config.tokenPeriod(), config.replicas());
    collector.airtableGateway().initRateLimiterFallback(config.fallbackMode().label());
    Duration idle = idleEviction(config);
    this.localBuckets = idleCache(idle);
    this.remoteBuckets = idleCache(idle);
    this.waiting = idleCache(idle);
    this.coolDownUntil = Caffeine.newBuilder().expireAfterWrite(config.coolDown())
        .scheduler(Scheduler.systemScheduler()).build();
    this.redis = new RedisBuckets(endpoint, config, remoteBuckets);
    if (shared == null) {
      boolean connected;
      try {
        redis.connect();
        connected = true;
      } catch (RuntimeException e) {
        connected = false;
      }
      this.availability = new RedisAvailability(redis::probe, config.probeInitialBackoff(),
          config.probeMaxBackoff(), connected);
      this.ownsAvailability = true;
    } else {
      this.availability = shared;
      this.ownsAvailability = false;
      if (shared.isUp()) {
        try {
          redis.connect();
        } catch (RuntimeException e) {
          shared.markDown(e);
        }
      }
    }
  }

  /**
   * Per-base and per-token state (local buckets, bucket proxies, queue counters) is dropped once
   * idle for longer than a bucket takes to refill completely after a cool-down: by then a new
   * bucket is the same as the old one, so eviction changes no decision and unknown keys cannot
   * grow the limiter's memory.
   */
  static Duration idleEviction(AirtableRateLimiterConfig config) {
    Duration period = config.basePeriod().compareTo(config.tokenPeriod()) > 0 ? config.basePeriod()
        : config.tokenPeriod();
    return period.plus(config.coolDown());
  }

  private static <V> Cache<String, V> idleCache(Duration idle) {
    return Caffeine.newBuilder().expireAfterAccess(idle).scheduler(Scheduler.systemScheduler()).build();
  }

  /** Bases and tokens this limiter keeps state for right now (after dropping idle ones). */
  public long trackedKeys() {
    localBuckets.cleanUp();
    remoteBuckets.cleanUp();
    waiting.cleanUp();
    coolDownUntil.cleanUp();
    return localBuckets.estimatedSize() + remoteBuckets.estimatedSize() + waiting.estimatedSize()
        + coolDownUntil.estimatedSize();
  }

  /** The settings of this limiter. */
  public AirtableRateLimiterConfig config() {
    return config;
  }

  /** True while decisions are taken in Redis (shared); false while falling back. */
  public boolean distributed() {
    return availability.isUp();
  }

  /** Charges one request of {@code baseId} against the base limit and the configured token's limit. */
  public RateLimitDecision checkBaseLimit(String baseId) {
    return checkLimit(baseId, config.tokenId());
  }

  /** Charges one request of {@code baseId} made with the access token identified by {@code tokenId}. */
  public RateLimitDecision checkLimit(String baseId, String tokenId) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(tokenId, "tokenId");
    long now = System.nanoTime();
    Long until = coolDownUntil.getIfPresent(baseId);
    if (until != null) {
      if (until - now > 0) {
        return RateLimitDecision.refused(RateLimitDecision.UPSTREAM_429, Duration.ofNanos(until - now),
            availability.isUp());
      }
      coolDownUntil.asMap().remove(baseId, until);
    }
    RateLimitDecision decision;
    if (availability.useRedis()) {
      try {
        decision = charge(baseId, redis.bucket(baseKey(baseId), baseBuckets),
            redis.bucket(tokenKey(tokenId), tokenBuckets), true);
      } catch (RuntimeException e) {
        availability.markDown(e);
        decision = fallback(baseId, tokenId);
      }
    } else {
      decision = fallback(baseId, tokenId);
    }
    if (!decision.allowed() && !RateLimitDecision.UPSTREAM_429.equals(decision.limitType())
        && !RateLimitDecision.UNAVAILABLE.equals(decision.limitType())) {
      collector.recordRateLimitHit(baseId, decision.limitType());
    }
    return decision;
  }

  /**
   * Waits until one request of {@code baseId} is granted, or until waiting would pass
   * {@code maxWait}; returns the last decision (refused when the deadline would be passed).
   * Waiting requests show in {@code airtable_request_queue_size{base_id}}. When the limiter is
   * closed, every wait ends at once with a refusal of type {@code unavailable} (answer it 503).
   */
  public RateLimitDecision acquire(String baseId, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    RateLimitDecision decision = checkBaseLimit(baseId);
    if (decision.allowed()) {
      return decision;
    }
    AtomicInteger queue = waiting.get(baseId, b -> new AtomicInteger());
    collector.airtableGateway().updateRequestQueueSize(baseId, queue.incrementAndGet());
    try {
      while (!decision.allowed()) {
        long wait = Math.max(decision.retryAfter().toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
        if (System.nanoTime() + wait - deadline > 0) {
          return decision;
        }
        synchronized (closing) {
          if (!closed) {
            TimeUnit.NANOSECONDS.timedWait(closing, wait);
          }
        }
        if (closed) {
          return RateLimitDecision.refused(RateLimitDecision.UNAVAILABLE, Duration.ZERO, false);
        }
        decision = checkBaseLimit(baseId);
      }
      return decision;
    } finally {
      collector.airtableGateway().updateRequestQueueSize(baseId, queue.decrementAndGet());
    }
  }

  /**
   * Feeds back Airtable's answer. A 429 starts the base's cool-down and counts
   * {@code airtable_rate_limit_hits_total{limit_type="upstream_429"}}; a 429 with error type
   * {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED} is reported as a used-up monthly quota instead.
   */
  public UpstreamOutcome onUpstreamResponse(String baseId, int statusCode, String errorType) {
    if (statusCode != 429) {
      return UpstreamOutcome.OK;
    }
    if ("PUBLIC_API_BILLING_LIMIT_EXCEEDED".equals(errorType)) {
      collector.airtableGateway().updateQuotaUsage(baseId, "monthly_billing", 100);
      return UpstreamOutcome.QUOTA_EXCEEDED;
    }
    collector.recordRateLimitHit(baseId, RateLimitDecision.UPSTREAM_429);
    long coolDown = config.coolDown().toNanos();
    coolDownUntil.put(baseId, System.nanoTime() + coolDown);
    collector.updateRateLimitRemaining(baseId, RateLimitDecision.BASE, 0);
    if (availability.useRedis()) {
      try {
        indebt(redis.bucket(baseKey(baseId), baseBuckets), coolDown);
      } catch (RuntimeException e) {
        availability.markDown(e);
        indebt(local(baseKey(baseId), baseBuckets), coolDown);
      }
    } else {
      indebt(local(baseKey(baseId), baseBuckets), coolDown);
    }
    return UpstreamOutcome.COOL_DOWN;
  }

  /** Closes this limiter's Redis connection (not the client). */
  @Override
  public void close() {
    synchronized (closing) {
      closed = true;
      closing.notifyAll();
    }
    redis.close();
    if (ownsAvailability) {
      availability.close();
    }
  }

  // --- internals ------------------------------------------------------------------------------------

  private RateLimitDecision charge(String baseId, Bucket base, Bucket token, boolean distributed) {
    ConsumptionProbe b = base.tryConsumeAndReturnRemaining(1);
    if (!b.isConsumed()) {
      long wait = b.getNanosToWaitForRefill();
      // A wait longer than one refill period can only come from a cool-down's debt (another instance saw a 429).
      String type = wait > config.basePeriod().toNanos() ? RateLimitDecision.UPSTREAM_429 : RateLimitDecision.BASE;
      collector.updateRateLimitRemaining(baseId, RateLimitDecision.BASE, 0);
      return RateLimitDecision.refused(type, Duration.ofNanos(wait), distributed);
    }
    ConsumptionProbe t = token.tryConsumeAndReturnRemaining(1);
    if (!t.isConsumed()) {
      base.addTokens(1);
      collector.updateRateLimitRemaining(baseId, RateLimitDecision.BASE, b.getRemainingTokens() + 1);
      collector.updateRateLimitRemaining(baseId, RateLimitDecision.TOKEN, 0);
      return RateLimitDecision.refused(RateLimitDecision.TOKEN, Duration.ofNanos(t.getNanosToWaitForRefill()),
          distributed);
    }
    collector.updateRateLimitRemaining(baseId, RateLimitDecision.BASE, b.getRemainingTokens());
    collector.updateRateLimitRemaining(baseId, RateLimitDecision.TOKEN, t.getRemainingTokens());
    return RateLimitDecision.granted(Math.min(b.getRemainingTokens(), t.getRemainingTokens()), distributed);
  }

  private RateLimitDecision fallback(String baseId, String tokenId) {
    FallbackMode mode = config.fallbackMode();
    collector.airtableGateway().recordRateLimiterFallback(mode.label());
    if (mode == FallbackMode.FAIL_CLOSED) {
      return RateLimitDecision.refused(RateLimitDecision.UNAVAILABLE, config.probeInitialBackoff(), false);
    }
    return charge(baseId, local(baseKey(baseId), baseBuckets), local(tokenKey(tokenId), tokenBuckets), false);
  }

  /** Puts a bucket into debt so that its next token comes only after {@code nanos}. */
  private void indebt(Bucket bucket, long nanos) {
    EstimationProbe now = bucket.estimateAbilityToConsume(1);
    double perNano = (double) config.basePermits() / config.basePeriod().toNanos();
    long tokens;
    if (now.canBeConsumed()) {
      // Take what is left down to zero, then the refill of the whole cool-down (minus the token that ends it).
      tokens = now.getRemainingTokens() - 1 + (long) Math.ceil(nanos * perNano);
    } else {
      long missing = nanos - now.getNanosToWaitForRefill();
      if (missing <= 0) {
        return;
      }
      tokens = (long) Math.ceil(missing * perNano);
    }
    if (tokens > 0) {
      bucket.consumeIgnoringRateLimits(tokens);
    }
  }

  private Bucket local(String key, BucketConfiguration configuration) {
    Bandwidth share = configuration == baseBuckets ? localBase : localToken;
    return localBuckets.get(key, k -> Bucket.builder().addLimit(share).build());
  }

  private String baseKey(String baseId) {
    return config.keyPrefix() + "{" + baseId + "}:base";
  }

  private String tokenKey(String tokenId) {
    return config.keyPrefix() + "{" + TokenKeys.digest(tokenId) + "}:token";
  }

  /**
   * A replica's share of a limit while it decides alone: {@code permits} refilled over
   * {@code replicas} periods (so the replicas' rates add up to the limit), and a burst of
   * {@code permits / replicas} (at least 1).
   */
  static Bandwidth localShare(long permits, Duration period, int replicas) {
    return Bandwidth.builder().capacity(Math.max(1, permits / replicas))
        .refillGreedy(permits, period.multipliedBy(replicas)).build();
  }

  private static BucketConfiguration bucketConfiguration(long permits, Duration period) {
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(permits).refillGreedy(permits, period).build())
        .build();
  }
}
