package io.pyairtable.metrics.integrations.cache;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_CACHE_OPERATIONS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.REDIS_OPERATIONS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import io.pyairtable.metrics.integrations.redis.LettuceMetrics;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis response cache while redis-server is killed and restarted: after the first failed
 * command nothing waits on Redis (no further command is even sent), cached reads are answered
 * from the near cache, the limiter sharing the availability stops using Redis too, and both use
 * Redis again once it answers.
 */
class RedisCacheOutageTest {

  private static final String BASE = "appCacheOutage001";
  private static final String TABLE = "Users";

  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway")
      .jvmMetrics(false).initialize();

  @Test
  @Timeout(60)
  void whileRedisIsDownReadsComeFromTheNearCacheWithoutSendingAnyRedisCommandAndRedisIsUsedAgainAfterIt()
      throws Exception {
    ClientResources resources = LettuceMetrics.clientResources(metrics);
    try (RedisServer redis = RedisServer.startNew()) {
      RedisClient client = RedisProbe.failFast(RedisClient.create(resources, redis.uri()), Duration.ofSeconds(1));
      try (RedisAvailability availability = RedisProbe.availability(client, Duration.ofMillis(250));
          AirtableRateLimiter limiter = new AirtableRateLimiter(client, metrics, AirtableRateLimiterConfig.defaults(),
              availability);
          RedisAirtableResponseCache cache = new RedisAirtableResponseCache(client, metrics, Duration.ofMinutes(5),
              "outage-test:", Duration.ofMillis(250), availability)) {
        assertThat(availability.isUp()).isTrue();
        cache.put(BASE, TABLE, "pageSize=5", "{\"records\":[5]}");
        assertThat(cache.get(BASE, TABLE, "pageSize=5")).hasValue("{\"records\":[5]}");
        assertThat(limiter.checkBaseLimit(BASE).distributed()).isTrue();

        redis.stop();
        double sentBefore = redisCommands();
        assertThat(cache.get(BASE, TABLE, "pageSize=5")).hasValue("{\"records\":[5]}");   // this GET fails
        double sentAtFailure = redisCommands();
        for (int i = 0; i < 50; i++) {
          assertThat(cache.get(BASE, TABLE, "pageSize=5")).hasValue("{\"records\":[5]}");
        }
        assertThat(cache.get(BASE, TABLE, "pageSize=99")).isEqualTo(Optional.empty());
        cache.put(BASE, TABLE, "pageSize=10", "{\"records\":[10]}");
        assertThat(cache.get(BASE, TABLE, "pageSize=10")).hasValue("{\"records\":[10]}");
        assertThat(limiter.checkBaseLimit(BASE).distributed()).isFalse();

        assertThat(sentAtFailure - sentBefore).isBetween(0.0, 1.0);   // 0 when Lettuce saw the disconnect first
        assertThat(redisCommands()).as("no GET or SET sent to Redis once it is known down").isEqualTo(sentAtFailure);
        Exposition e = Exposition.of(metrics);
        String ops = AIRTABLE_CACHE_OPERATIONS_TOTAL.name();
        assertThat(e.value(ops, "operation", "get", "base_id", BASE, "result", "hit")).isEqualTo(53);
        assertThat(e.value(ops, "operation", "get", "base_id", BASE, "result", "error")).isEqualTo(1);
        assertThat(e.value(ops, "operation", "put", "base_id", BASE, "result", "error")).isEqualTo(1);

        redis.start();
        Conditions.await(Duration.ofSeconds(15), "the cache uses Redis again", () -> {
          cache.get(BASE, TABLE, "pageSize=5");
          return availability.isUp();
        });
        Conditions.await(Duration.ofSeconds(15), "the limiter is distributed again",
            () -> limiter.checkBaseLimit(BASE).distributed());
        cache.put(BASE, TABLE, "pageSize=20", "{\"records\":[20]}");
        assertThat(Exposition.of(metrics).value(ops, "operation", "put", "base_id", BASE, "result", "success"))
            .isEqualTo(2);
        // the restarted Redis is empty: Redis decides again, and its miss drops the near entry
        assertThat(cache.get(BASE, TABLE, "pageSize=10")).isEmpty();
        assertThat(cache.get(BASE, TABLE, "pageSize=20")).hasValue("{\"records\":[20]}");
      } finally {
        client.shutdown();
      }
    } finally {
      resources.shutdown();
    }
  }

  private double redisCommands() {
    Exposition e = Exposition.of(metrics);
    return e.matching(REDIS_OPERATIONS_TOTAL.name(), "operation", "GET").stream()
        .mapToDouble(Exposition.Sample::value).sum()
        + e.matching(REDIS_OPERATIONS_TOTAL.name(), "operation", "SET").stream()
        .mapToDouble(Exposition.Sample::value).sum();
  }
}
