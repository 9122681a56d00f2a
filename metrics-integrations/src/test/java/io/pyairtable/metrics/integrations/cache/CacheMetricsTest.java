package io.pyairtable.metrics.integrations.cache;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_CACHE_OPERATIONS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.CACHE_HIT_RATIO;
import static io.pyairtable.metrics.catalog.MetricCatalog.CACHE_OPERATIONS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.REDIS_OPERATIONS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.LettuceMetrics;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import io.pyairtable.metrics.integrations.testing.SharedRedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CacheMetricsTest {

  private static final String OPS = CACHE_OPERATIONS_TOTAL.name();
  private static final String AIRTABLE_OPS = AIRTABLE_CACHE_OPERATIONS_TOTAL.name();
  private static final String BASE = "appAAAAAAAAAAAAAA";

  @RegisterExtension
  static final SharedRedis redis = new SharedRedis();

  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway")
      .jvmMetrics(false).initialize();

  @Test
  void caffeineStatsFeedCacheOperationsAndHitRatio() {
    AtomicInteger loads = new AtomicInteger();
    LoadingCache<String, String> cache = Caffeine.newBuilder()
        .maximumSize(2)
        .executor(Runnable::run)
        .recordStats(CaffeineCacheMetrics.statsCounter(metrics))
        .build(key -> {
          loads.incrementAndGet();
          if (key.equals("bad")) {
            throw new IllegalStateException("no such schema");
          }
          return "schema of " + key;
        });
    cache.get("a");
    cache.get("a");
    cache.get("a");
    cache.get("b");
    try {
      cache.get("bad");
    } catch (IllegalStateException expected) {
      // counted as load/failure
    }
    cache.get("c");
    cache.cleanUp();

    Exposition e = Exposition.of(metrics);
    assertThat(e.value(OPS, "operation", "get", "result", "hit")).isEqualTo(2);
    assertThat(e.value(OPS, "operation", "get", "result", "miss")).isEqualTo(4);
    assertThat(e.value(OPS, "operation", "put", "result", "success")).isEqualTo(3);
    assertThat(e.value(OPS, "operation", "load", "result", "failure")).isEqualTo(1);
    assertThat(e.value(OPS, "operation", "evict", "result", "size")).isEqualTo(1);
    assertThat(e.value(CACHE_HIT_RATIO.name())).isEqualTo(2.0 / 6.0);
    assertThat(cache.stats().hitCount()).isEqualTo(2);
    assertThat(cache.stats().evictionCount()).isEqualTo(1);
    assertThat(loads.get()).isEqualTo(4);
  }

  @Test
  void caffeineResponseCacheCountsPerBaseAndTableWithEvictions() {
    CaffeineAirtableResponseCache cache = new CaffeineAirtableResponseCache(metrics, Duration.ofMinutes(5), 2);
    assertThat(cache.get(BASE, "Users", "page=1")).isEmpty();
    cache.put(BASE, "Users", "page=1", "{\"records\":[]}");
    assertThat(cache.get(BASE, "Users", "page=1")).contains("{\"records\":[]}");
    assertThat(cache.getOrLoad(BASE, "Tasks", "page=1", () -> "{\"t\":1}")).isEqualTo("{\"t\":1}");
    assertThat(cache.getOrLoad(BASE, "Tasks", "page=1", () -> "never")).isEqualTo("{\"t\":1}");
    cache.put(BASE, "Tasks", "page=2", "{\"t\":2}");
    cache.cleanUp();
    cache.invalidate(BASE, "Tasks");
    assertThat(cache.get(BASE, "Tasks", "page=2")).isEmpty();

    Exposition e = Exposition.of(metrics);
    assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "table_name", "Users", "result", "miss"))
        .isEqualTo(1);
    assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "table_name", "Users", "result", "hit"))
        .isEqualTo(1);
    assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "table_name", "Tasks", "result", "hit"))
        .isEqualTo(1);
    assertThat(e.value(AIRTABLE_OPS, "operation", "put", "base_id", BASE, "table_name", "Tasks", "result",
        "success")).isEqualTo(2);
    assertThat(e.value(AIRTABLE_OPS, "operation", "evict", "base_id", BASE, "result", "size")).isEqualTo(1);
    assertThat(e.value(AIRTABLE_OPS, "operation", "invalidate", "base_id", BASE, "table_name", "Tasks", "result",
        "success")).isEqualTo(1);
    assertThat(e.value(OPS, "operation", "get", "result", "hit")).isEqualTo(2);
    assertThat(e.value(OPS, "operation", "get", "result", "miss")).isEqualTo(3);
    assertThat(e.value(CACHE_HIT_RATIO.name())).isEqualTo(2.0 / 5.0);
  }

  @Test
  void redisResponseCacheIsSharedExpiresAndCountsRedisCommands() {
    ClientResources resources = LettuceMetrics.clientResources(metrics);
    RedisClient client = RedisClient.create(resources, redis.uri());
    try (RedisAirtableResponseCache first = new RedisAirtableResponseCache(client, metrics);
        RedisAirtableResponseCache second = new RedisAirtableResponseCache(client, metrics, Duration.ofMillis(300),
            "short:", Duration.ofMillis(250))) {
      assertThat(first.get(BASE, "Users", "q")).isEmpty();
      first.put(BASE, "Users", "q", "{\"records\":[1]}");
      first.put(BASE, "Users", "q2", "{\"records\":[2]}");
      assertThat(first.get(BASE, "Users", "q")).contains("{\"records\":[1]}");
      try (var plain = RedisClient.create(redis.uri()); var c = plain.connect()) {
        long ttl = c.sync().ttl(c.sync().keys("pyairtable:cache:{" + BASE + ":Users}:*").get(0));
        assertThat(ttl).isBetween(290L, 300L);
      }
      first.invalidate(BASE, "Users");
      assertThat(first.get(BASE, "Users", "q2")).isEmpty();

      second.put(BASE, "Tasks", "q", "x");
      assertThat(second.get(BASE, "Tasks", "q")).contains("x");
      Conditions.await(Duration.ofSeconds(5), "entry expired", () -> second.get(BASE, "Tasks", "q").isEmpty());

      Exposition e = Exposition.of(metrics);
      assertThat(e.value(AIRTABLE_OPS, "operation", "put", "base_id", BASE, "table_name", "Users", "result",
          "success")).isEqualTo(2);
      assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "table_name", "Users", "result", "hit"))
          .isEqualTo(1);
      assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "table_name", "Users", "result",
          "miss")).isEqualTo(2);
      assertThat(e.value(AIRTABLE_OPS, "operation", "invalidate", "base_id", BASE, "table_name", "Users", "result",
          "success")).isEqualTo(1);
      Conditions.await(Duration.ofSeconds(5), "SET commands recorded",
          () -> Exposition.of(metrics).value(REDIS_OPERATIONS_TOTAL.name(), "operation", "SET", "result", "success")
              == 3);
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  void redisResponseCacheAnswersFromItsNearCacheWhileRedisIsUnreachableAndCountsWhatItCannotAnswerAsErrors()
      throws Exception {
    try (RedisServer own = RedisServer.startNew()) {
      RedisClient client = RedisClient.create(own.uri());
      try (RedisAirtableResponseCache cache = new RedisAirtableResponseCache(client, metrics,
          Duration.ofSeconds(300), "c:", Duration.ofMillis(200))) {
        cache.put(BASE, "Users", "q", "v");
        own.stop();
        assertThat(cache.get(BASE, "Users", "q")).hasValue("v");
        assertThat(cache.get(BASE, "Users", "other")).isEmpty();
        cache.put(BASE, "Users", "q2", "v2");
        assertThat(cache.getOrLoad(BASE, "Users", "q3", () -> "fresh")).isEqualTo("fresh");
        assertThat(cache.getOrLoad(BASE, "Users", "q3", () -> "not loaded again")).isEqualTo("fresh");
        Exposition e = Exposition.of(metrics);
        assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "result", "hit")).isEqualTo(2);
        assertThat(e.value(AIRTABLE_OPS, "operation", "get", "base_id", BASE, "result", "error")).isEqualTo(2);
        assertThat(e.value(AIRTABLE_OPS, "operation", "put", "base_id", BASE, "result", "error")).isEqualTo(2);
        assertThat(e.value(OPS, "operation", "get", "result", "error")).isEqualTo(2);
      } finally {
        client.shutdown(0, 2, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void hitRatioIsPerCollector() {
    MetricsCollector other = Metrics.builder(Map.of()).serviceName("other").jvmMetrics(false).initialize();
    CacheHitRatio.of(metrics).hit();
    CacheHitRatio.of(other).miss();
    assertThat(Exposition.of(metrics).value(CACHE_HIT_RATIO.name())).isEqualTo(1.0);
    assertThat(Exposition.of(other).value(CACHE_HIT_RATIO.name())).isEqualTo(0.0);
  }
}
