package io.pyairtable.metrics.integrations.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token's bucket key is hashed once per token instance, in a table that stays bounded, and
 * caching it changes no decision: equal tokens (even in different {@code String} instances) share
 * one bucket, different tokens do not.
 */
class TokenKeyCacheTest {

  private static final String BASE = "appTokenCache0001";

  @Test
  void theSameTokenInstanceIsHashedOnceAndGivesTheUncachedKey() {
    BucketKeys keys = new BucketKeys("pyairtable:ratelimit:");
    String token = new String("patTokenCache.secret0001");
    for (int i = 0; i < 1_000; i++) {
      assertThat(keys.token(token))
          .isEqualTo("pyairtable:ratelimit:{" + BucketKeys.digest("patTokenCache.secret0001") + "}:token");
    }
    assertThat(keys.digestsComputed()).isEqualTo(1);
    assertThat(keys.token(token)).doesNotContain("patTokenCache").doesNotContain("secret0001");
  }

  @Test
  void equalTokensInOtherInstancesGetTheSameKeyAndDifferentTokensAnother() {
    BucketKeys keys = new BucketKeys("p:");
    String a = keys.token(new String("patA.secret"));
    assertThat(keys.token(new String("patA.secret"))).isEqualTo(a);
    assertThat(keys.token(new String("patB.secret"))).isNotEqualTo(a);
    assertThat(BucketKeys.digest("patA.secret")).hasSize(16).matches("[0-9a-f]{16}");
  }

  @Test
  void tenThousandDistinctTokensLeaveAtMostTheTableSizeOfKeys() {
    BucketKeys keys = new BucketKeys("p:");
    for (int i = 0; i < 10_000; i++) {
      keys.token("patBounded." + i);
    }
    assertThat(keys.digestsComputed()).isEqualTo(10_000);
    assertThat(keys.cachedKeys()).isLessThanOrEqualTo(BucketKeys.SLOTS).isGreaterThan(0);
  }

  @Test
  void equalTokensShareOneBucketAndDifferentTokensDoNot() {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .initialize();
    try (AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(100, Duration.ofHours(1)).perToken(2, Duration.ofHours(1)).build())) {   // no refill in the test
      assertThat(limiter.checkLimit(BASE, new String("patShared.secret")).allowed()).isTrue();
      assertThat(limiter.checkLimit(BASE, new String("patShared.secret")).allowed()).isTrue();
      RateLimitDecision third = limiter.checkLimit(BASE, new String("patShared.secret"));
      assertThat(third.allowed()).isFalse();
      assertThat(third.limitType()).isEqualTo(RateLimitDecision.TOKEN);

      String other = "patOther.secret";
      assertThat(limiter.checkLimit(BASE, other).allowed()).isTrue();
      assertThat(limiter.checkLimit(BASE, other).allowed()).isTrue();
      assertThat(limiter.checkLimit(BASE, other).limitType()).isEqualTo(RateLimitDecision.TOKEN);
      // one base bucket, two token buckets
      assertThat(limiter.trackedKeys()).isEqualTo(3);
    }
  }
}
