package io.pyairtable.metrics.integrations.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Airtable's rate limits (5 requests/second per base, 50 per access token) shared by every
 * service instance through Redis, on Bucket4j's Lettuce integration, with an in-process fallback
 * while Redis is unreachable; or, built with {@link #inProcess}, without Redis at all.
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
 * everything ({@link FallbackMode#FAIL_CLOSED}); each such decision is counted in {@code
 * airtable_rate_limiter_fallback_total}. Redis is then probed in the background with exponential
 * backoff, and the limiter is distributed again once a PING answers. How soon that happens also
 * depends on the Lettuce client's own reconnect delay. An in-process bucket of a base (or token)
 * decided in Redis within the time that bucket takes to fill (a second, with one replica) starts as
 * if it had been empty at that decision, because the Redis bucket may just have granted its whole
 * burst: the base's grants across the switch then stay within what one bucket grants in any second,
 * where a full local bucket would add a second burst, enough for Airtable to answer 429 and block
 * the base for 30 s. On the way back, the first Redis decision of a base charges its Redis bucket,
 * which refilled during the outage, with what the local bucket granted and has not refilled yet, so
 * that switch adds no burst either. Several users of one Redis share one {@link RedisAvailability}
 * through the constructor that takes it, so that the first failure any of them sees stops all of
 * them from waiting on Redis.
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
 * <p><b>Without Redis.</b> {@link #inProcess} decides with the same in-process Bucket4j buckets
 * the fallback uses (a {@code localShareOf(n)} share of each limit), the same charging, 429
 * cool-down and billing handling, and the same {@code airtable_rate_limit_*} metrics; those
 * decisions are not a fallback: {@code airtable_rate_limiter_fallback_total} is neither written nor
 * initialised, and {@link #distributed()} is always false ({@link #usesRedis()} tells the two apart).
 *
 * <p><b>Bounded state.</b> Per-base and per-token state is kept in Caffeine caches that drop a key
 * once it has been idle for longer than its bucket needs to refill after a cool-down
 * ({@code max(basePeriod, tokenPeriod) + coolDown}), so random base ids cannot grow memory.
 *
 * <p>Metrics: {@code airtable_rate_limit_hits_total{base_id,limit_type}} (base, token,
 * upstream_429), {@code airtable_rate_limit_remaining{base_id,limit_type}},
 * {@code airtable_rate_limiter_fallback_total{mode}} (Redis mode only). It does not write
 * {@code airtable_request_queue_size}: a limiter holds no queue; that gauge belongs to whoever
 * queues requests in front of it (the example Airtable gateway's {@code AirtableRequestQueue}).
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
 * try (AirtableRateLimiter local = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.defaults())) {
 *   RateLimitDecision d = local.checkBaseLimit("appXXXXXXXXXXXXXX");   // no Redis: in-process buckets
 * }
 * }</pre>
 */
public final class AirtableRateLimiter implements AutoCloseable {

  private final MetricsCollector collector;
  private final AirtableRateLimiterConfig config;
  private final BucketConfiguration baseBuckets;
  private final BucketConfiguration tokenBuckets;
  private final LocalBuckets local;
  private final CoolDowns coolDowns;
  private final BucketKeys keys;
  /** The configured token's key, hashed once. */
  private final String configuredTokenKey;
  private final BucketCharges charges;
  /** Null without Redis ({@link #inProcess}); then {@link #availability} is null too. */
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

  /**
   * A limiter without Redis, for a single instance or a service without Redis: every decision is
   * taken in this JVM with the fallback's buckets ({@code config.localShareOf(n)} still gives this
   * instance 1/n of each limit); {@code redisTimeout}, {@code probeBackoff}, {@code keyPrefix} and
   * {@code fallbackMode} do not apply. {@link #distributed()} is false, {@link #usesRedis()} false,
   * and nothing is counted in {@code airtable_rate_limiter_fallback_total}.
   */
  public static AirtableRateLimiter inProcess(MetricsCollector collector, AirtableRateLimiterConfig config) {
    return new AirtableRateLimiter(Optional.empty(), collector, config, null);
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
    this(Optional.of(Objects.requireNonNull(endpoint, "endpoint")), collector, config, shared);
  }

  private AirtableRateLimiter(Optional<RedisEndpoint> endpoint, MetricsCollector collector,
      AirtableRateLimiterConfig config, RedisAvailability shared) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.config = Objects.requireNonNull(config, "config");
    this.baseBuckets = bucketConfiguration(config.basePermits(), config.basePeriod());
    this.tokenBuckets = bucketConfiguration(config.tokenPermits(), config.tokenPeriod());
    this.charges = new BucketCharges(collector, config);
    Duration idle = idleEviction(config);
    this.local = new LocalBuckets(LocalBuckets.share(config.basePermits(), config.basePeriod(), config.replicas()),
        LocalBuckets.share(config.tokenPermits(), config.tokenPeriod(), config.replicas()), idle);
    this.keys = new BucketKeys(config.keyPrefix());
    this.configuredTokenKey = keys.token(config.tokenId());
    this.coolDowns = new CoolDowns(config.coolDown());
    if (endpoint.isEmpty()) {
      this.redis = null;
      this.availability = null;
      this.ownsAvailability = false;
      return;
    }
    collector.airtableGateway().initRateLimiterFallback(config.fallbackMode().label());
    this.redis = new RedisBuckets(endpoint.get(), config, keys, configuredTokenKey, baseBuckets, tokenBuckets, idle);
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
   * Per-base and per-token state (local buckets, bucket proxies, cool-downs) is dropped once
   * idle for longer than a bucket takes to refill completely after a cool-down: by then a new
   * bucket is the same as the old one, so eviction changes no decision and unknown keys cannot
   * grow the limiter's memory.
   */
  static Duration idleEviction(AirtableRateLimiterConfig config) {
    Duration period = config.basePeriod().compareTo(config.tokenPeriod()) > 0 ? config.basePeriod()
        : config.tokenPeriod();
    return period.plus(config.coolDown());
  }

  /** Bases and tokens this limiter keeps state for right now (after dropping idle ones). */
  public long trackedKeys() {
    return local.trackedKeys() + (redis == null ? 0 : redis.trackedKeys())
        + coolDowns.size();
  }

  /** The settings of this limiter. */
  public AirtableRateLimiterConfig config() {
    return config;
  }

  /** True while decisions are taken in Redis (shared); false while falling back, and always without Redis. */
  public boolean distributed() {
    return availability != null && availability.isUp();
  }

  /** False for a limiter built by {@link #inProcess} (no Redis at all), true otherwise. */
  public boolean usesRedis() {
    return redis != null;
  }

  /** Charges one request of {@code baseId} against the base limit and the configured token's limit. */
  public RateLimitDecision checkBaseLimit(String baseId) {
    return decide(Objects.requireNonNull(baseId, "baseId"), baseId, configuredTokenKey);
  }

  /**
   * As {@link #checkBaseLimit(String)}, with {@code seriesLabel} as the {@code base_id} label of
   * the limiter's metrics instead of the base id. The base's own bucket is charged, so every
   * replica limits the base together whatever it calls it: a gateway that labels the bases
   * Airtable has not confirmed {@code unknown} (so that hostile ids make no series) still shares
   * each base's 5 requests per second with the replicas that have confirmed it.
   */
  public RateLimitDecision checkBaseLimit(String baseId, String seriesLabel) {
    return decide(Objects.requireNonNull(baseId, "baseId"), Objects.requireNonNull(seriesLabel, "seriesLabel"),
        configuredTokenKey);
  }

  /** Charges one request of {@code baseId} made with the access token identified by {@code tokenId}. */
  public RateLimitDecision checkLimit(String baseId, String tokenId) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(tokenId, "tokenId");
    return decide(baseId, baseId, keys.token(tokenId));
  }

  private RateLimitDecision decide(String baseId, String label, String tokenKey) {
    long coolDown = coolDowns.remainingNanos(baseId);
    if (coolDown > 0) {
      return RateLimitDecision.refused(RateLimitDecision.UPSTREAM_429, Duration.ofNanos(coolDown), distributed());
    }
    RateLimitDecision decision;
    if (redis == null) {
      decision = charges.charge(label, local.base(baseId), local.token(tokenKey), false);
    } else if (availability.useRedis()) {
      try {
        Bucket base = redis.base(baseId);
        Bucket token = redis.token(tokenKey);
        local.handBack(baseId, tokenKey, base, token);
        decision = charges.charge(label, base, token, true);
        local.decidedInRedis(baseId, tokenKey);
      } catch (RuntimeException e) {
        availability.markDown(e);
        decision = fallback(baseId, label, tokenKey);
      }
    } else {
      decision = fallback(baseId, label, tokenKey);
    }
    if (!decision.allowed() && !RateLimitDecision.UPSTREAM_429.equals(decision.limitType())
        && !RateLimitDecision.UNAVAILABLE.equals(decision.limitType())) {
      collector.recordRateLimitHit(label, decision.limitType());
    }
    return decision;
  }

  /**
   * Waits until one request of {@code baseId} is granted, or until waiting would pass
   * {@code maxWait}; returns the last decision (refused when the deadline would be passed). The
   * wait is not a queue and is not counted in {@code airtable_request_queue_size} (see the class
   * comment). When the limiter is closed, every wait ends at once with a refusal of type
   * {@code unavailable} (answer it 503).
   */
  public RateLimitDecision acquire(String baseId, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    RateLimitDecision decision = checkBaseLimit(baseId);
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
  }

  /**
   * Feeds back Airtable's answer. A 429 starts the base's cool-down and counts
   * {@code airtable_rate_limit_hits_total{limit_type="upstream_429"}}; a 429 with error type
   * {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED} is reported as a used-up monthly quota instead.
   */
  public UpstreamOutcome onUpstreamResponse(String baseId, int statusCode, String errorType) {
    return onUpstreamResponse(baseId, baseId, statusCode, errorType);
  }

  /**
   * As {@link #onUpstreamResponse(String, int, String)}, with {@code seriesLabel} as the
   * {@code base_id} label of the metrics it writes (see {@link #checkBaseLimit(String, String)}):
   * the cool-down and the bucket's debt are the base's own.
   */
  public UpstreamOutcome onUpstreamResponse(String baseId, String seriesLabel, int statusCode, String errorType) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(seriesLabel, "seriesLabel");
    if (statusCode != 429) {
      return UpstreamOutcome.OK;
    }
    if ("PUBLIC_API_BILLING_LIMIT_EXCEEDED".equals(errorType)) {
      collector.airtableGateway().updateQuotaUsage(seriesLabel, "monthly_billing", 100);
      return UpstreamOutcome.QUOTA_EXCEEDED;
    }
    collector.recordRateLimitHit(seriesLabel, RateLimitDecision.UPSTREAM_429);
    long coolDown = config.coolDown().toNanos();
    coolDowns.start(baseId);
    collector.updateRateLimitRemaining(seriesLabel, RateLimitDecision.BASE, 0);
    if (redis != null && availability.useRedis()) {
      try {
        charges.indebt(redis.base(baseId), coolDown);
      } catch (RuntimeException e) {
        availability.markDown(e);
        charges.indebt(local.base(baseId), coolDown);
      }
    } else {
      charges.indebt(local.base(baseId), coolDown);
    }
    return UpstreamOutcome.COOL_DOWN;
  }

  /** Ends the waits in {@link #acquire}; closes this limiter's Redis connection (not the client). */
  @Override
  public void close() {
    synchronized (closing) {
      closed = true;
      closing.notifyAll();
    }
    if (redis == null) {
      return;
    }
    redis.close();
    if (ownsAvailability) {
      availability.close();
    }
  }

  // --- internals ------------------------------------------------------------------------------------

  private RateLimitDecision fallback(String baseId, String label, String tokenKey) {
    FallbackMode mode = config.fallbackMode();
    collector.airtableGateway().recordRateLimiterFallback(mode.label());
    if (mode == FallbackMode.FAIL_CLOSED) {
      return RateLimitDecision.refused(RateLimitDecision.UNAVAILABLE, config.probeInitialBackoff(), false);
    }
    return charges.charge(label, local.base(baseId), local.token(tokenKey), false);
  }

  private static BucketConfiguration bucketConfiguration(long permits, Duration period) {
    return BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(permits).refillGreedy(permits, period).build())
        .build();
  }
}
