package io.pyairtable.metrics.integrations.redis;

import static io.pyairtable.metrics.catalog.MetricCatalog.REDIS_CONNECTION_POOL_SIZE;
import static io.pyairtable.metrics.catalog.MetricCatalog.REDIS_OPERATIONS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.REDIS_OPERATION_DURATION_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.SharedRedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LettuceCommandMetricsTest {

  private static final String OPS = REDIS_OPERATIONS_TOTAL.name();

  @RegisterExtension
  static final SharedRedis redis = new SharedRedis();

  @Test
  void everyCommandIsCountedOnceWithItsResultAndTimed() {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("redis-test").jvmMetrics(false).initialize();
    ClientResources resources = LettuceMetrics.clientResources(metrics);
    RedisClient client = RedisClient.create(resources, redis.uri());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> commands = connection.sync();
      commands.set("greeting", "hello");
      commands.set("greeting", "hi");
      commands.set("other", "x");
      assertThat(commands.get("greeting")).isEqualTo("hi");
      commands.get("other");
      assertThat(commands.get("missing")).isNull();
      assertThatThrownBy(() -> commands.incr("greeting")).isInstanceOf(RedisCommandExecutionException.class);
      commands.del("greeting", "other");
      connection.async().set("async", "1");
      connection.async().get("async");

      Conditions.await(Duration.ofSeconds(5), "all commands recorded",
          () -> Exposition.of(metrics).find(OPS, "operation", "GET", "result", "success").orElse(0) == 4
              && Exposition.of(metrics).find(OPS, "operation", "SET", "result", "success").orElse(0) == 4);
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(OPS, "operation", "SET", "result", "success")).isEqualTo(4);
      assertThat(e.value(OPS, "operation", "GET", "result", "success")).isEqualTo(4);
      assertThat(e.value(OPS, "operation", "INCR", "result", "error")).isEqualTo(1);
      assertThat(e.find(OPS, "operation", "INCR", "result", "success")).isEmpty();
      assertThat(e.value(OPS, "operation", "DEL", "result", "success")).isEqualTo(1);
      assertThat(e.matching(OPS, "operation", "GET")).hasSize(1);
      assertThat(e.value(REDIS_OPERATION_DURATION_SECONDS.count(), "operation", "GET")).isEqualTo(4);
      assertThat(e.value(REDIS_OPERATION_DURATION_SECONDS.count(), "operation", "INCR")).isEqualTo(1);
      assertThat(e.value(REDIS_CONNECTION_POOL_SIZE.name(), "pool_type", "lettuce")).isEqualTo(1);
    } finally {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
    Conditions.await(Duration.ofSeconds(5), "connection gone from redis_connection_pool_size",
        () -> Exposition.of(metrics).value(REDIS_CONNECTION_POOL_SIZE.name(), "pool_type", "lettuce") == 0);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Test
  void commandsOfAClientWithoutTheMetricsAreNotCounted() {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("redis-test").jvmMetrics(false).initialize();
    ClientResources instrumented = LettuceMetrics.clientResources(metrics);
    RedisClient plain = RedisClient.create(redis.uri());
    RedisClient counted = RedisClient.create(instrumented, redis.uri());
    try (StatefulRedisConnection<String, String> a = plain.connect();
        StatefulRedisConnection<String, String> b = counted.connect()) {
      a.sync().set("k", "v");
      a.sync().get("k");
      b.sync().get("k");
      Conditions.await(Duration.ofSeconds(5), "GET recorded",
          () -> Exposition.of(metrics).find(OPS, "operation", "GET", "result", "success").orElse(0) == 1);
      assertThat(Exposition.of(metrics).find(OPS, "operation", "SET", "result", "success")).isEmpty();
    } finally {
      plain.shutdown(0, 2, TimeUnit.SECONDS);
      counted.shutdown(0, 2, TimeUnit.SECONDS);
      instrumented.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
