package io.pyairtable.metrics.integrations.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The configured token's bucket proxy is held outside the per-key cache (no cache lookup per
 * decision): every base still charges the one shared token bucket in Redis, another instance of
 * the same token id charges that same bucket, and the held proxy is not counted as tracked state.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfiguredTokenProxyTest {

  private static final String TOKEN = "patConfigured.secret";

  @Test
  void everyBaseChargesTheOneConfiguredTokenBucketAndItIsNotATrackedKey() throws Exception {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .initialize();
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
        .perBase(100, Duration.ofHours(1)).perToken(3, Duration.ofHours(1)).tokenId(TOKEN).build();
    try (RedisServer redis = RedisServer.startNew()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (AirtableRateLimiter limiter = new AirtableRateLimiter(client, metrics, config)) {
        assertThat(limiter.checkBaseLimit("appAAAAAAAAAAAAAA").allowed()).isTrue();
        assertThat(limiter.checkBaseLimit("appBBBBBBBBBBBBBB").allowed()).isTrue();
        assertThat(limiter.checkBaseLimit("appCCCCCCCCCCCCCC").allowed()).isTrue();
        RateLimitDecision fourth = limiter.checkBaseLimit("appDDDDDDDDDDDDDD");

        assertThat(fourth.allowed()).isFalse();
        assertThat(fourth.limitType()).isEqualTo(RateLimitDecision.TOKEN);
        assertThat(fourth.distributed()).isTrue();
        // four base proxies; the configured token's proxy is held, not cached
        assertThat(limiter.trackedKeys()).isEqualTo(4);
        // the same token id in another String instance reaches the same bucket in Redis
        assertThat(limiter.checkLimit("appEEEEEEEEEEEEEE", new String(TOKEN)).limitType())
            .isEqualTo(RateLimitDecision.TOKEN);
      } finally {
        client.shutdown();
      }
    }
  }
}
