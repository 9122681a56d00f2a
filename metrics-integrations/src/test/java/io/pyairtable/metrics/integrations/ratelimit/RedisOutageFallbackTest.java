package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limiter while its redis-server is killed and restarted (each test on a server of its own):
 * the in-process fallback keeps the per-base limit without a second burst, its grants are charged
 * to Redis when it returns, and fail-closed refuses.
 */
class RedisOutageFallbackTest {

  private static final String HITS = AIRTABLE_RATE_LIMIT_HITS_TOTAL.name();
  private static Limiters limiters;
  private final MetricsCollector metrics = Limiters.collector();

  @BeforeAll
  static void createLimiters() {
    limiters = new Limiters();
  }

  @AfterAll
  static void closeLimiters() throws Exception {
    limiters.close();
  }

  @AfterEach
  void close() throws Exception {
    limiters.closeAll();
  }

  @Test
  @Timeout(60)
  void redisKilledMidTestFallsBackLocallyAndReturnsToRedisAfterRestart() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = Limiters.uniqueBase();
      AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
          .redisTimeout(Duration.ofSeconds(1)).probeBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
      AirtableRateLimiter first = limiters.on(own, metrics, config);
      AirtableRateLimiter second = limiters.on(own, Limiters.collector(), config);
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
      String fresh = Limiters.uniqueBase();
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
      String base = Limiters.uniqueBase();
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
      String base = Limiters.uniqueBase();
      AirtableRateLimiter limiter = failFastLimiter(own, Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(limiter.checkBaseLimit(base).distributed()).isTrue();
      own.stop();
      // the polls ask with a token of their own, so the configured token's buckets see only the base's calls
      Conditions.await(Duration.ofSeconds(10), "the limiter falls back", () -> {
        limiter.checkLimit(Limiters.uniqueBase(), "poll-token");
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
        limiter.checkLimit(Limiters.uniqueBase(), "poll-token");
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

  /** A limiter failing fast on {@code server}, probing Redis after {@code firstProbe}, then at most every {@code maxProbe}. */
  private AirtableRateLimiter failFastLimiter(RedisServer server, Duration firstProbe, Duration maxProbe) {
    return limiters.failingFastOn(server, metrics, AirtableRateLimiterConfig.builder().redisTimeout(Duration.ofSeconds(1))
        .probeBackoff(firstProbe, maxProbe).build());
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
  @Timeout(60)
  void failClosedRefusesWhileRedisIsDown() throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      String base = Limiters.uniqueBase();
      AirtableRateLimiter limiter = limiters.on(own, metrics, AirtableRateLimiterConfig.builder()
          .fallbackMode(FallbackMode.FAIL_CLOSED).redisTimeout(Duration.ofSeconds(1)).build());
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
}
