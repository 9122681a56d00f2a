package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_API_QUOTA_USAGE;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_REMAINING;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_REQUEST_QUEUE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Exposition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis-free limiter ({@link AirtableRateLimiter#inProcess}): the same buckets, charging, 429
 * cool-down, billing handling and {@code airtable_rate_limit_*} metrics as the Redis limiter's
 * fallback, with no fallback counted, and no {@code airtable_request_queue_size} written.
 */
class InProcessLimiterTest {

  private static final String BASE = "appInProcess00001";
  private static final String HITS = AIRTABLE_RATE_LIMIT_HITS_TOTAL.name();

  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway")
      .jvmMetrics(false).initialize();

  @Test
  void grantsTheBaseBurstThenRefusesCountingEachRefusalOnceAndNoFallback() {
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(3, Duration.ofHours(1)).perToken(50, Duration.ofHours(1)).build())) {   // no refill within the test
      assertThat(limiter.usesRedis()).isFalse();
      List<Boolean> allowed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        RateLimitDecision d = limiter.checkBaseLimit(BASE);
        assertThat(d.distributed()).isFalse();
        allowed.add(d.allowed());
      }
      assertThat(allowed).containsExactly(true, true, true, false, false);
      assertThat(limiter.checkBaseLimit(BASE).limitType()).isEqualTo(RateLimitDecision.BASE);
      assertThat(limiter.distributed()).isFalse();
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(HITS, "base_id", BASE, "limit_type", "base")).isEqualTo(3);
      assertThat(e.value(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", BASE, "limit_type", "base")).isEqualTo(0);
      assertThat(e.value(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", BASE, "limit_type", "token")).isEqualTo(47);
      assertThat(e.matching(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name())).isEmpty();
    }
  }

  @Test
  void aSeriesLabelNamesTheBaseInTheMetricsWhileItsOwnBucketAndCoolDownAreCharged() {
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(3, Duration.ofHours(1)).perToken(50, Duration.ofHours(1)).coolDown(Duration.ofMinutes(1)).build())) {
      assertThat(limiter.checkBaseLimit(BASE).allowed()).isTrue();
      assertThat(limiter.checkBaseLimit(BASE, "unknown").allowed()).isTrue();
      assertThat(limiter.checkBaseLimit(BASE, "unknown").allowed()).isTrue();
      RateLimitDecision refused = limiter.checkBaseLimit(BASE, "unknown");   // the base's bucket of 3 is spent
      assertThat(refused.allowed()).isFalse();
      assertThat(refused.limitType()).isEqualTo(RateLimitDecision.BASE);
      assertThat(limiter.checkBaseLimit("appInProcess00002", "unknown").allowed()).as("another base's bucket").isTrue();
      String other = "appInProcess00003";
      assertThat(limiter.onUpstreamResponse(other, "unknown", 429, "RATE_LIMIT_REACHED"))
          .isEqualTo(UpstreamOutcome.COOL_DOWN);
      assertThat(limiter.checkBaseLimit(other, "unknown").limitType()).isEqualTo(RateLimitDecision.UPSTREAM_429);
      assertThat(limiter.checkBaseLimit(other).limitType()).isEqualTo(RateLimitDecision.UPSTREAM_429);
      assertThat(limiter.checkBaseLimit("appInProcess00004", "unknown").allowed()).as("only that base cools down")
          .isTrue();
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(HITS, "base_id", "unknown", "limit_type", "base")).isEqualTo(1);
      assertThat(e.value(HITS, "base_id", "unknown", "limit_type", "upstream_429")).isEqualTo(1);
      assertThat(e.value(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", BASE, "limit_type", "base")).isEqualTo(2);
      assertThat(e.value(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", "unknown", "limit_type", "base"))
          .isEqualTo(2);   // appInProcess00004's, the last charged under the label
      assertThat(e.find(HITS, "base_id", BASE, "limit_type", "base").orElse(0)).isEqualTo(0);
      assertThat(e.find(HITS, "base_id", other, "limit_type", "upstream_429").orElse(0)).isEqualTo(0);
      assertThat(e.find(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", other, "limit_type", "base")).isEmpty();
    }
  }

  @Test
  void anUpstream429CoolsTheBaseDownCountedOnceAndTheBillingLimitIsAQuotaNotACoolDown() {
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .coolDown(Duration.ofMinutes(1)).build())) {
      assertThat(limiter.onUpstreamResponse(BASE, 429, "RATE_LIMIT_REACHED")).isEqualTo(UpstreamOutcome.COOL_DOWN);
      for (int i = 0; i < 3; i++) {
        RateLimitDecision d = limiter.checkBaseLimit(BASE);
        assertThat(d.allowed()).isFalse();
        assertThat(d.limitType()).isEqualTo(RateLimitDecision.UPSTREAM_429);
        assertThat(d.retryAfter()).isGreaterThan(Duration.ofSeconds(50));
      }
      String other = "appInProcess00002";
      assertThat(limiter.onUpstreamResponse(other, 429, "PUBLIC_API_BILLING_LIMIT_EXCEEDED"))
          .isEqualTo(UpstreamOutcome.QUOTA_EXCEEDED);
      assertThat(limiter.checkBaseLimit(other).allowed()).isTrue();
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(HITS, "base_id", BASE, "limit_type", "upstream_429")).isEqualTo(1);
      assertThat(e.find(HITS, "base_id", BASE, "limit_type", "base").orElse(0)).isEqualTo(0);
      assertThat(e.find(HITS, "base_id", other, "limit_type", "upstream_429").orElse(0)).isEqualTo(0);
      assertThat(e.value(AIRTABLE_API_QUOTA_USAGE.name(), "base_id", other, "quota_type", "monthly_billing"))
          .isEqualTo(100);
      assertThat(e.matching(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name())).isEmpty();
    }
  }

  @Test
  void eachInstanceTakesItsLocalShareOfTheLimit() {
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(6, Duration.ofHours(1)).localShareOf(3).build())) {
      int granted = 0;
      for (int i = 0; i < 6; i++) {
        granted += limiter.checkBaseLimit(BASE).allowed() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(2);
    }
  }

  @Test
  @Timeout(30)
  void callersWaitingInAcquireAreNotCountedAsAQueue() throws Exception {
    int waiters = 4;
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(1, Duration.ofMillis(200)).build())) {
      assertThat(limiter.acquire(BASE, Duration.ZERO).allowed()).isTrue();
      List<CompletableFuture<RateLimitDecision>> waiting = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        waiting.add(CompletableFuture.supplyAsync(() -> {
          try {
            return limiter.acquire(BASE, Duration.ofSeconds(10));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<RateLimitDecision> w : waiting) {
        assertThat(w.get(20, TimeUnit.SECONDS).allowed()).isTrue();
      }
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(HITS, "base_id", BASE, "limit_type", "base")).isGreaterThanOrEqualTo(waiters);
      assertThat(e.matching(AIRTABLE_REQUEST_QUEUE_SIZE.name())).isEmpty();
    }
  }
}
