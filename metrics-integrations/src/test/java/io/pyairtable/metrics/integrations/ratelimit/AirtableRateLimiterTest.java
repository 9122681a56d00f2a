package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_API_QUOTA_USAGE;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_REMAINING;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_REQUEST_QUEUE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The limiter deciding in Redis: one budget per base shared by every instance, 429s, quotas, waiting. */
class AirtableRateLimiterTest {

  private static final String HITS = AIRTABLE_RATE_LIMIT_HITS_TOTAL.name();
  private static RedisServer redis;
  private static Limiters limiters;
  private final MetricsCollector metrics = Limiters.collector();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startNew();
    limiters = new Limiters();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    try {
      limiters.close();
    } finally {
      redis.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    limiters.closeAll();
  }

  @Test
  void twoInstancesWithSeparateClientsShareFiveRequestsPerSecondOfOneBase() throws Exception {
    String base = Limiters.uniqueBase();
    AirtableRateLimiter first = limiters.on(redis, metrics, AirtableRateLimiterConfig.defaults());
    AirtableRateLimiter second = limiters.on(redis, Limiters.collector(), AirtableRateLimiterConfig.defaults());
    int[] grants = new int[2];
    // Each grant happened somewhere between the call's start and its return: keep both ends.
    List<long[]> grantTimes = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(2_500);
    Thread[] threads = new Thread[2];
    AirtableRateLimiter[] limiters = {first, second};
    for (int i = 0; i < 2; i++) {
      int n = i;
      threads[i] = new Thread(() -> {
        while (System.nanoTime() - end < 0) {
          long asked = System.nanoTime() - start;
          RateLimitDecision d = limiters[n].checkBaseLimit(base);
          assertThat(d.distributed()).isTrue();
          if (d.allowed()) {
            grants[n]++;
            grantTimes.add(new long[] {asked, System.nanoTime() - start});
          }
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = grants[0] + grants[1];
    // A token bucket of 5 refilled at 5/s grants at most 5 + 5·t in t seconds, shared by both instances.
    assertThat(total).isLessThanOrEqualTo((int) Math.floor(5 + 5 * elapsed));
    assertThat(total).isGreaterThanOrEqualTo(10);
    assertThat(grants[0]).isPositive();
    assertThat(grants[1]).isPositive();
    // After the initial burst, every later second holds at most 5 grants between the two instances.
    // A grant counts in a window when its whole call lies in it, so a thread descheduled on a
    // loaded machine after Redis answered cannot move its grant into the next second.
    for (double from = 1.0; from + 1.0 <= elapsed; from += 0.25) {
      double f = from;
      long inWindow = new ArrayList<>(grantTimes).stream()
          .filter(t -> t[0] / 1e9 >= f && t[1] / 1e9 < f + 1.0).count();
      assertThat(inWindow).as("grants in [%.2f s, %.2f s)", f, f + 1.0).isLessThanOrEqualTo(5);
    }
    assertThat(Exposition.of(metrics).value(HITS, "base_id", base, "limit_type", "base")).isGreaterThan(0);
  }

  @Test
  void refusedRequestIsNotChargedTwice() {
    String base = Limiters.uniqueBase();
    AirtableRateLimiterConfig tight = AirtableRateLimiterConfig.builder().tokenId("tight-" + base)
        .perBase(5, Duration.ofMinutes(1)).perToken(2, Duration.ofMinutes(1)).build();
    AirtableRateLimiter limiter = limiters.on(redis, metrics, tight);
    assertThat(limiter.checkBaseLimit(base)).extracting(RateLimitDecision::allowed, RateLimitDecision::remaining)
        .containsExactly(true, 1L);
    assertThat(limiter.checkBaseLimit(base).allowed()).isTrue();
    RateLimitDecision refused = limiter.checkBaseLimit(base);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.limitType()).isEqualTo("token");
    Exposition e = Exposition.of(metrics);
    assertThat(e.value(HITS, "base_id", base, "limit_type", "token")).isEqualTo(1);
    assertThat(e.value(AIRTABLE_RATE_LIMIT_REMAINING.name(), "base_id", base, "limit_type", "base")).isEqualTo(3);

    // Another token on the same base: the base bucket lost exactly the two granted requests.
    AirtableRateLimiter other = limiters.on(redis, Limiters.collector(),
        AirtableRateLimiterConfig.builder().tokenId("wide-" + base).perBase(5, Duration.ofMinutes(1)).build());
    assertThat(other.checkBaseLimit(base)).extracting(RateLimitDecision::allowed, RateLimitDecision::remaining)
        .containsExactly(true, 2L);
  }

  @Test
  void upstream429CoolsTheBaseDownForEveryInstance() {
    String base = Limiters.uniqueBase();
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder().coolDown(Duration.ofSeconds(2)).build();
    AirtableRateLimiter first = limiters.on(redis, metrics, config);
    AirtableRateLimiter second = limiters.on(redis, Limiters.collector(), config);
    assertThat(first.checkBaseLimit(base).allowed()).isTrue();

    assertThat(first.onUpstreamResponse(base, 429, "RATE_LIMIT_REACHED")).isEqualTo(UpstreamOutcome.COOL_DOWN);
    RateLimitDecision local = first.checkBaseLimit(base);
    assertThat(local.allowed()).isFalse();
    assertThat(local.limitType()).isEqualTo("upstream_429");
    assertThat(local.retryAfter()).isGreaterThan(Duration.ofMillis(1_500)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    RateLimitDecision shared = second.checkBaseLimit(base);
    assertThat(shared.allowed()).isFalse();
    assertThat(shared.limitType()).isEqualTo("upstream_429");
    assertThat(shared.retryAfter()).isGreaterThan(Duration.ofSeconds(1));

    Exposition e = Exposition.of(metrics);
    assertThat(e.value(HITS, "base_id", base, "limit_type", "upstream_429")).isEqualTo(1);
    // refusals during the cool-down are not counted again (the series shows 0 since the limiter reported remaining)
    assertThat(e.find(HITS, "base_id", base, "limit_type", "base")).hasValue(0.0);
    long coolDownStart = System.nanoTime();
    Conditions.await(Duration.ofSeconds(5), "cool-down over", () -> second.checkBaseLimit(base).allowed());
    assertThat(System.nanoTime() - coolDownStart).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_500));
    Conditions.await(Duration.ofSeconds(5), "cool-down over locally", () -> first.checkBaseLimit(base).allowed());
  }

  @Test
  void billingLimit429IsAQuotaProblemNotACoolDown() {
    String base = Limiters.uniqueBase();
    AirtableRateLimiter limiter = limiters.on(redis, metrics, AirtableRateLimiterConfig.defaults());
    assertThat(limiter.onUpstreamResponse(base, 429, "PUBLIC_API_BILLING_LIMIT_EXCEEDED"))
        .isEqualTo(UpstreamOutcome.QUOTA_EXCEEDED);
    assertThat(UpstreamOutcome.QUOTA_EXCEEDED.retryable()).isFalse();
    assertThat(limiter.onUpstreamResponse(base, 200, null)).isEqualTo(UpstreamOutcome.OK);
    Exposition e = Exposition.of(metrics);
    assertThat(e.value(AIRTABLE_API_QUOTA_USAGE.name(), "base_id", base, "quota_type", "monthly_billing"))
        .isEqualTo(100);
    assertThat(e.find(HITS, "base_id", base, "limit_type", "upstream_429")).isEmpty();
    assertThat(limiter.checkBaseLimit(base).allowed()).isTrue();
  }

  @Test
  void acquireWaitsForASlotUntilItsDeadline() throws Exception {
    String base = Limiters.uniqueBase();
    AirtableRateLimiter limiter = limiters.on(redis, metrics, AirtableRateLimiterConfig.builder()
        .perBase(1, Duration.ofMillis(300)).build());
    assertThat(limiter.acquire(base, Duration.ZERO).allowed()).isTrue();
    RateLimitDecision tooShort = limiter.acquire(base, Duration.ofMillis(10));
    assertThat(tooShort.allowed()).isFalse();
    assertThat(tooShort.limitType()).isEqualTo("base");
    long before = System.nanoTime();
    assertThat(limiter.acquire(base, Duration.ofSeconds(2)).allowed()).isTrue();
    assertThat(System.nanoTime() - before).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(100));
    // waiting in acquire is not a queue: airtable_request_queue_size belongs to whoever queues requests
    assertThat(Exposition.of(metrics).find(AIRTABLE_REQUEST_QUEUE_SIZE.name(), "base_id", base)).isEmpty();
  }
}
