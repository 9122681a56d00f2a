package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_API_QUOTA_USAGE;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_REMAINING;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_REQUEST_QUEUE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AirtableRateLimiterTest {

  private static final String HITS = AIRTABLE_RATE_LIMIT_HITS_TOTAL.name();
  private static RedisServer redis;
  private static ClientResources resources;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final MetricsCollector metrics = collector();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startNew();
    resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
  }

  @AfterAll
  static void stopRedis() {
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    redis.close();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  @Test
  void twoInstancesWithSeparateClientsShareFiveRequestsPerSecondOfOneBase() throws Exception {
    String base = uniqueBase();
    AirtableRateLimiter first = limiter(metrics, AirtableRateLimiterConfig.defaults());
    AirtableRateLimiter second = limiter(collector(), AirtableRateLimiterConfig.defaults());
    int[] grants = new int[2];
    // Each grant happened somewhere between the call's start and its return: keep both ends.
    List<long[]> grantTimes = java.util.Collections.synchronizedList(new ArrayList<>());
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
    String base = uniqueBase();
    AirtableRateLimiterConfig tight = AirtableRateLimiterConfig.builder().tokenId("tight-" + base)
        .perBase(5, Duration.ofMinutes(1)).perToken(2, Duration.ofMinutes(1)).build();
    AirtableRateLimiter limiter = limiter(metrics, tight);
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
    AirtableRateLimiter other = limiter(collector(), AirtableRateLimiterConfig.builder().tokenId("wide-" + base)
        .perBase(5, Duration.ofMinutes(1)).build());
    assertThat(other.checkBaseLimit(base)).extracting(RateLimitDecision::allowed, RateLimitDecision::remaining)
        .containsExactly(true, 2L);
  }

  @Test
  void upstream429CoolsTheBaseDownForEveryInstance() {
    String base = uniqueBase();
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder().coolDown(Duration.ofSeconds(2)).build();
    AirtableRateLimiter first = limiter(metrics, config);
    AirtableRateLimiter second = limiter(collector(), config);
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
    String base = uniqueBase();
    AirtableRateLimiter limiter = limiter(metrics, AirtableRateLimiterConfig.defaults());
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
    String base = uniqueBase();
    AirtableRateLimiter limiter = limiter(metrics, AirtableRateLimiterConfig.builder()
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

  @Test
  void redisKilledMidTestFallsBackLocallyAndReturnsToRedisAfterRestart() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = uniqueBase();
      AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
          .redisTimeout(Duration.ofSeconds(1)).probeBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
      AirtableRateLimiter first = limiter(metrics, config, own);
      AirtableRateLimiter second = limiter(collector(), config, own);
      long redisAsked = System.nanoTime();
      assertThat(first.checkBaseLimit(base).distributed()).isTrue();
      long redisAnswered = System.nanoTime();
      assertThat(Exposition.of(metrics).value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_open"))
          .isEqualTo(0);

      own.stop();
      List<RateLimitDecision> during = new ArrayList<>();
      long burstStart = System.nanoTime();
      for (int i = 0; i < 8; i++) {
        long t0 = System.nanoTime();
        during.add(first.checkBaseLimit(base));
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
      }
      long burstEnd = System.nanoTime();
      assertThat(first.distributed()).isFalse();
      assertThat(during).allMatch(d -> !d.distributed());
      // The in-process bucket keeps the per-base limit, counted from empty at the base's last Redis decision:
      // of the 8 quick requests, as many pass as 5/s refilled since then (5 once a second has passed).
      assertThat(during.stream().filter(RateLimitDecision::allowed).count())
          .isBetween(refilled(redisAnswered, burstStart), refilled(redisAsked, burstEnd));
      assertThat(Exposition.of(metrics).value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_open"))
          .isEqualTo(8);

      own.start();
      Conditions.await(Duration.ofSeconds(10), "limiter distributed again", () -> {
        first.checkBaseLimit(base);
        return first.distributed();
      });
      Conditions.await(Duration.ofSeconds(10), "second limiter distributed again", () -> {
        second.checkBaseLimit(base);
        return second.distributed();
      });
      // Shared again: a fresh base, five grants between both instances, then refusals everywhere.
      String fresh = uniqueBase();
      int granted = 0;
      for (int i = 0; i < 4; i++) {
        granted += first.checkBaseLimit(fresh).allowed() ? 1 : 0;
        granted += second.checkBaseLimit(fresh).allowed() ? 1 : 0;
      }
      assertThat(granted).isBetween(5, 6);
      try (RedisClient check = RedisClient.create(own.uri());
          var c = check.connect()) {
        assertThat(c.sync().exists("pyairtable:ratelimit:{" + fresh + "}:base")).isEqualTo(1);
      }
    }
  }

  @Test
  @Timeout(30)
  void aBaseThatSpentItsBurstInRedisGetsNoSecondBurstWhenRedisDies() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = uniqueBase();
      AirtableRateLimiter limiter = failFastLimiter(own, Duration.ofSeconds(30), Duration.ofSeconds(30));
      List<Long> grants = new ArrayList<>();
      long start = System.nanoTime();
      long lastAsked = 0;
      while (grants.size() < 5) {
        lastAsked = System.nanoTime();
        RateLimitDecision d = limiter.checkBaseLimit(base);
        assertThat(d.distributed()).isTrue();
        if (d.allowed()) {
          grants.add(System.nanoTime());
        }
        assertThat(System.nanoTime() - start).as("five grants in Redis").isLessThan(TimeUnit.SECONDS.toNanos(5));
      }
      long lastAnswered = grants.get(4);
      own.stop();
      long asked = System.nanoTime();
      RateLimitDecision first = limiter.checkBaseLimit(base);
      long answered = System.nanoTime();
      assertThat(first.distributed()).isFalse();
      long held = refilled(lastAnswered, asked);
      // the local bucket holds what 5/s refilled since the base's last Redis decision, not a fresh burst of 5
      System.out.printf(Locale.ROOT, "local bucket: first decision %.0f ms after the last Redis grant (%d to %d tokens)%n",
          (asked - lastAnswered) / 1e6, held, refilled(lastAsked, answered));
      if (refilled(lastAsked, answered) == 0) {
        assertThat(first.allowed()).as("no fresh burst from the local bucket").isFalse();
        assertThat(first.limitType()).isEqualTo(RateLimitDecision.BASE);
        assertThat(first.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
      } else if (held > 0) {
        assertThat(first.allowed()).isTrue();
      }
      if (first.allowed()) {
        grants.add(answered);
      }
      // Asked every 10 ms for 1.5 s: the local bucket grants one every 200 ms from the last Redis decision on.
      long end = answered + TimeUnit.MILLISECONDS.toNanos(1_500);
      int calls = 1;
      while (System.nanoTime() - end < 0) {
        RateLimitDecision d = limiter.checkBaseLimit(base);
        calls++;
        assertThat(d.distributed()).isFalse();
        if (d.allowed()) {
          grants.add(System.nanoTime());
        }
        Thread.sleep(10);
      }
      long local = grants.size() - 5;
      assertThat(local).isBetween(6L, (long) Math.floor(5 * (System.nanoTime() - lastAsked) / 1e9));
      // one bucket of 5 at 5/s grants at most 10 in any 1 s: so do Redis and the local bucket together
      assertThat(maxInOneSecond(grants)).as("grants in any 1 s across the switch").isLessThanOrEqualTo(10);
      assertThat(Exposition.of(metrics).value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_open"))
          .isEqualTo(calls);
    }
  }

  @Test
  @Timeout(60)
  void grantsOfTheLocalBucketAreChargedToTheRedisBucketWhenRedisReturns() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = uniqueBase();
      AirtableRateLimiter limiter = failFastLimiter(own, Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(limiter.checkBaseLimit(base).distributed()).isTrue();
      own.stop();
      // the polls ask with a token of their own, so the configured token's buckets see only the base's calls
      Conditions.await(Duration.ofSeconds(10), "the limiter falls back", () -> {
        limiter.checkLimit(uniqueBase(), "poll-token");
        return !limiter.distributed();
      });
      Thread.sleep(1_100);   // past the base's last Redis decision by more than its bucket's fill time
      List<Long> grants = new ArrayList<>();
      long firstLocalAsked = System.nanoTime();
      for (int i = 0; i < 5; i++) {   // the local bucket is full: its burst goes out during the outage
        RateLimitDecision d = limiter.checkBaseLimit(base);
        assertThat(d.distributed()).isFalse();
        assertThat(d.allowed()).isTrue();
        grants.add(System.nanoTime());
      }
      own.start();
      Conditions.await(Duration.ofSeconds(20), "the limiter decides in Redis again", () -> {
        limiter.checkLimit(uniqueBase(), "poll-token");
        return limiter.distributed();
      });
      // The Redis bucket refilled during the outage; the first decision charges it what the local bucket
      // granted and has not refilled yet, so it allows only what a single bucket would have refilled by now.
      long asked = System.nanoTime();
      RateLimitDecision back = limiter.checkBaseLimit(base);
      long answered = System.nanoTime();
      assertThat(back.distributed()).isTrue();
      System.out.printf(Locale.ROOT, "back in Redis %.0f ms after the last local grant (%d to %d tokens refilled)%n",
          (asked - grants.get(4)) / 1e6, refilled(grants.get(4), asked), refilled(firstLocalAsked, answered));
      if (refilled(firstLocalAsked, answered) == 0) {
        assertThat(back.allowed()).as("no second burst from the refilled Redis bucket").isFalse();
        assertThat(back.limitType()).isEqualTo(RateLimitDecision.BASE);
      } else if (refilled(grants.get(4), asked) > 0) {
        assertThat(back.allowed()).as("what the local bucket refilled is not charged").isTrue();
      }
      if (back.allowed()) {
        grants.add(answered);
      }
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
      while (System.nanoTime() - end < 0) {
        RateLimitDecision d = limiter.checkBaseLimit(base);
        if (d.allowed()) {
          assertThat(d.distributed()).isTrue();
          grants.add(System.nanoTime());
        }
        Thread.sleep(10);
      }
      assertThat(maxInOneSecond(grants)).as("grants in any 1 s across the return").isLessThanOrEqualTo(10);
    }
  }

  /**
   * A limiter on {@code server} whose client rejects commands at once while disconnected (so the switch
   * to the local buckets comes right after a kill), probing Redis after {@code firstProbe}, then at
   * most every {@code maxProbe}.
   */
  private AirtableRateLimiter failFastLimiter(RedisServer server, Duration firstProbe, Duration maxProbe) {
    RedisClient client = RedisProbe.failFast(RedisClient.create(resources, server.uri()), Duration.ofMillis(500));
    cleanup.add(() -> client.shutdown(0, 2, TimeUnit.SECONDS));
    AirtableRateLimiter limiter = AirtableRateLimiter.createMetricsEnabledAirtableLimiter(client, metrics,
        AirtableRateLimiterConfig.builder().redisTimeout(Duration.ofSeconds(1))
            .probeBackoff(firstProbe, maxProbe).build());
    cleanup.add(0, limiter);
    return limiter;
  }

  /** The most of {@code times} (sorted) within any one second. */
  private static int maxInOneSecond(List<Long> times) {
    int worst = 0;
    for (int i = 0; i < times.size(); i++) {
      int j = i;
      while (j < times.size() && times.get(j) - times.get(i) < TimeUnit.SECONDS.toNanos(1)) {
        j++;
      }
      worst = Math.max(worst, j - i);
    }
    return worst;
  }

  /** Tokens a local base bucket (5 per second) counted from empty at {@code from} holds at {@code to}. */
  private static long refilled(long from, long to) {
    return Math.min(5, (long) Math.floor(5 * (to - from) / 1e9));
  }

  @Test
  void failClosedRefusesWhileRedisIsDown() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = uniqueBase();
      AirtableRateLimiter limiter = limiter(metrics, AirtableRateLimiterConfig.builder()
          .fallbackMode(FallbackMode.FAIL_CLOSED).redisTimeout(Duration.ofSeconds(1)).build(), own);
      assertThat(limiter.checkBaseLimit(base).allowed()).isTrue();
      own.stop();
      for (int i = 0; i < 3; i++) {
        RateLimitDecision d = limiter.checkBaseLimit(base);
        assertThat(d.allowed()).isFalse();
        assertThat(d.limitType()).isEqualTo("unavailable");
      }
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_closed")).isEqualTo(3);
      assertThat(e.find(HITS, "base_id", base, "limit_type", "base")).hasValue(0.0);
      assertThat(e.find(HITS, "base_id", base, "limit_type", "token")).hasValue(0.0);
    }
  }

  private AirtableRateLimiter limiter(MetricsCollector collector, AirtableRateLimiterConfig config) {
    return limiter(collector, config, redis);
  }

  private AirtableRateLimiter limiter(MetricsCollector collector, AirtableRateLimiterConfig config, RedisServer server) {
    RedisClient client = RedisClient.create(resources, server.uri());
    AirtableRateLimiter limiter = AirtableRateLimiter.createMetricsEnabledAirtableLimiter(client, collector, config);
    cleanup.add(() -> client.shutdown(0, 2, TimeUnit.SECONDS));
    cleanup.add(0, limiter);
    return limiter;
  }

  private static MetricsCollector collector() {
    return Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false).initialize();
  }

  private static String uniqueBase() {
    return "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }
}
