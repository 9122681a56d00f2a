package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_REMAINING;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9's hostile keys: 5,000 random, valid-looking base ids leave no lasting state in the
 * limiter (every per-base and per-token entry is dropped once idle) and no more series than the
 * family's budget.
 */
class LimiterBoundedStateTest {

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int BUDGET = 100;

  @Test
  @Timeout(90)
  void fiveThousandRandomBaseIdsAreForgottenOnceIdleAndStayWithinTheSeriesBudget() throws Exception {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .seriesBudget(BUDGET).initialize();
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder().perBase(5, Duration.ofMillis(500))
        .perToken(50, Duration.ofMillis(500)).coolDown(Duration.ofMillis(500)).build();
    try (RedisServer redis = RedisServer.startNew()) {
      RedisClient client = RedisClient.create(redis.uri());
      try (AirtableRateLimiter limiter = new AirtableRateLimiter(client, metrics, config)) {
        Random random = new Random(9);
        for (int i = 0; i < 5_000; i++) {
          limiter.checkBaseLimit(randomBaseId(random));
        }
        limiter.onUpstreamResponse(randomBaseId(random), 429, "RATE_LIMIT_REACHED");
        // the latest bases' bucket proxies, the token bucket and the cool-down are still there
        assertThat(limiter.trackedKeys()).isGreaterThanOrEqualTo(3);
        assertThat(AirtableRateLimiter.idleEviction(config)).isEqualTo(Duration.ofSeconds(1));

        Conditions.await(Duration.ofSeconds(30), "every idle key dropped", () -> limiter.trackedKeys() == 0);

        Set<String> labelled = Exposition.of(metrics).matching(AIRTABLE_RATE_LIMIT_REMAINING.name(),
            "limit_type", "base").stream().map(s -> s.labels().get("base_id")).collect(Collectors.toSet());
        assertThat(labelled.size()).isLessThanOrEqualTo(BUDGET + 1);
      } finally {
        client.shutdown();
      }
    }
  }

  private static String randomBaseId(Random random) {
    StringBuilder id = new StringBuilder("app");
    for (int i = 0; i < 14; i++) {
      id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }
}
