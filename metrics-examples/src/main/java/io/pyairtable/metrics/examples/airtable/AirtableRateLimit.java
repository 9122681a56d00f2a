package io.pyairtable.metrics.examples.airtable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The rate limit the gateway's {@link AirtableRequestQueue} asks before each Airtable call: the
 * integrations' shared {@link AirtableRateLimiter} (Bucket4j buckets in Redis) when the gateway has
 * Redis, else {@link #inProcess} (Bucket4j buckets in this JVM, the same limits and metrics).
 *
 * <pre>{@code
 * AirtableRateLimit limit = AirtableRateLimit.shared(AirtableRateLimiter.createMetricsEnabledAirtableLimiter(redis, metrics));
 * long waitNanos = limit.tryAcquire("appAbCdEfGhIjKlMn"); // 0: go
 * }</pre>
 */
public interface AirtableRateLimit extends AutoCloseable {

  /** Takes one permit for {@code baseId}: 0 when taken, otherwise nanoseconds to wait before asking again. */
  long tryAcquire(String baseId);

  /** Feeds back Airtable's answer (a 429 starts the base's cool-down). */
  void onUpstreamResponse(String baseId, int status, String errorType);

  /** {@code redis} or {@code in_process}. */
  String mode();

  @Override
  void close();

  /** The integrations' Redis-backed limiter (which falls back in-process while Redis is down). */
  static AirtableRateLimit shared(AirtableRateLimiter limiter) {
    return new AirtableRateLimit() {
      @Override
      public long tryAcquire(String baseId) {
        RateLimitDecision d = limiter.checkBaseLimit(baseId);
        return d.allowed() ? 0 : Math.max(d.retryAfter().toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
      }

      @Override
      public void onUpstreamResponse(String baseId, int status, String errorType) {
        limiter.onUpstreamResponse(baseId, status, errorType);
      }

      @Override
      public String mode() {
        return limiter.distributed() ? "redis" : "in_process_fallback";
      }

      @Override
      public void close() {
        limiter.close();
      }
    };
  }

  /**
   * Per-base Bucket4j buckets in this JVM ({@code permits} per {@code period}, greedy refill), for a
   * gateway without Redis: refusals count in {@code airtable_rate_limit_hits_total{limit_type="base"}},
   * what is left in {@code airtable_rate_limit_remaining}; an upstream 429 counts as
   * {@code upstream_429} and blocks the base for {@code coolDown} (Airtable asks for 30 s). A base's
   * bucket is dropped once idle for {@code period + coolDown} (by then it is full again, so a new
   * one decides the same), so unknown base ids leave no lasting state.
   */
  static AirtableRateLimit inProcess(int permits, Duration period, Duration coolDown, MetricsCollector metrics) {
    Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(period.plus(coolDown))
        .scheduler(Scheduler.systemScheduler()).build();
    Cache<String, Long> blockedUntil = Caffeine.newBuilder().expireAfterWrite(coolDown)
        .scheduler(Scheduler.systemScheduler()).build();
    return new AirtableRateLimit() {
      @Override
      public long tryAcquire(String baseId) {
        Long until = blockedUntil.getIfPresent(baseId);
        if (until != null && until - System.nanoTime() > 0) {
          return until - System.nanoTime();
        }
        ConsumptionProbe p = buckets.get(baseId, b -> Bucket.builder()
            .addLimit(l -> l.capacity(permits).refillGreedy(permits, period)).build())
            .tryConsumeAndReturnRemaining(1);
        metrics.updateRateLimitRemaining(baseId, RateLimitDecision.BASE, p.getRemainingTokens());
        if (p.isConsumed()) {
          return 0;
        }
        metrics.recordRateLimitHit(baseId, RateLimitDecision.BASE);
        return Math.max(p.getNanosToWaitForRefill(), TimeUnit.MILLISECONDS.toNanos(1));
      }

      @Override
      public void onUpstreamResponse(String baseId, int status, String errorType) {
        if (status != 429) {
          return;
        }
        if ("PUBLIC_API_BILLING_LIMIT_EXCEEDED".equals(errorType)) {
          metrics.airtableGateway().updateQuotaUsage(baseId, "monthly_billing", 100);
          return;
        }
        metrics.recordRateLimitHit(baseId, RateLimitDecision.UPSTREAM_429);
        blockedUntil.put(baseId, System.nanoTime() + coolDown.toNanos());
      }

      @Override
      public String mode() {
        return "in_process";
      }

      @Override
      public void close() {
        buckets.invalidateAll();
      }
    };
  }
}
