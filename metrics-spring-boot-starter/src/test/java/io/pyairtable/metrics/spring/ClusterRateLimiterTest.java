package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import io.pyairtable.metrics.integrations.testing.RedisCluster;
import io.pyairtable.metrics.spring.integrations.LimiterRedis;
import io.pyairtable.metrics.spring.integrations.RateLimiterHealthIndicator;
import io.pyairtable.metrics.spring.testing.Await;
import io.pyairtable.metrics.spring.testing.Samples;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * The starter's Airtable rate limiter on a real Redis Cluster (six redis-servers on loopback, 3
 * masters with a replica each): through Spring's cluster connection
 * ({@code spring.data.redis.cluster.nodes}) and through a cluster client of its own
 * ({@code pyairtable.metrics.rate-limiter.redis-cluster-nodes} / {@code REDIS_CLUSTER_NODES}); the
 * base's bucket lives on the master of its slot, and the health follows the cluster.
 */
@Timeout(180)
class ClusterRateLimiterTest {

  private static final String BASE = "appCLUSTERCCCCCCC";
  private static final String BASE_KEY = "pyairtable:ratelimit:{" + BASE + "}:base";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PyAirtableMetricsAutoConfiguration.class))
      .withPropertyValues("spring.application.name=svc")
      // a generous Redis timeout for a loaded machine
      .withBean(AirtableRateLimiterConfig.class,
          () -> AirtableRateLimiterConfig.builder().redisTimeout(Duration.ofSeconds(2)).build());

  @Test
  void springsClusterConnectionCarriesTheSharedBudgetAndTheHealthFollowsTheCluster() throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
          .withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.timeout=2s",
              "spring.data.redis.lettuce.cluster.refresh.adaptive=true",
              "spring.data.redis.lettuce.cluster.refresh.period=1s")
          .run(context -> {
            assertThat(context).hasNotFailed();
            LimiterRedis redis = context.getBean(LimiterRedis.class);
            assertThat(redis.topology()).isEqualTo("cluster");
            assertThat(redis.source()).isEqualTo("spring.data.redis.cluster");
            RateLimiterHealthIndicator health = context.getBean(RateLimiterHealthIndicator.class);

            int refused = decidesOnTheCluster(context, cluster);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsExactlyInAnyOrderEntriesOf(
                Map.of("mode", "redis", "redis", "cluster"));
            assertThat(refused).isPositive();

            for (int port : cluster.ports()) {
              cluster.kill(port);
            }
            AirtableRateLimiter limiter = context.getBean(AirtableRateLimiter.class);
            Await.until(Duration.ofSeconds(60), "the limiter falls back once the cluster is gone", () -> {
              limiter.checkBaseLimit("appGONEGONEGONEGO");
              return !limiter.distributed();
            });
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsExactlyInAnyOrderEntriesOf(
                Map.of("mode", "fallback", "fallback", "fail_open", "redis", "cluster"));
          });
    }
  }

  @Test
  void theClusterNodesPropertyOrVariableGivesTheLimiterAClusterClientOfItsOwn() throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      // no Spring Redis at all: the property alone turns the limiter on
      runner.withPropertyValues(LimiterRedis.NODES_PROPERTY + "=" + cluster.nodes()).run(context -> {
        assertThat(context).hasNotFailed();
        LimiterRedis redis = context.getBean(LimiterRedis.class);
        assertThat(redis.topology()).isEqualTo("cluster");
        assertThat(redis.source()).isEqualTo(LimiterRedis.NODES_PROPERTY);
        assertThat(decidesOnTheCluster(context, cluster)).isPositive();
        assertThat(context.getBean(RateLimiterHealthIndicator.class).health().getDetails())
            .containsExactlyInAnyOrderEntriesOf(Map.of("mode", "redis", "redis", "cluster"));
      });
      // the environment variable (any property source holds it), over Spring's single Redis
      runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
          .withPropertyValues(LimiterRedis.NODES_VARIABLE + "=" + cluster.nodes(), "spring.data.redis.port=1")
          .run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(LimiterRedis.class).source()).isEqualTo(LimiterRedis.NODES_VARIABLE);
            Await.until(Duration.ofSeconds(30), "the limiter decides on the cluster", () -> {
              context.getBean(AirtableRateLimiter.class).checkBaseLimit("appVARIABLEVVVVVV");
              return context.getBean(AirtableRateLimiter.class).distributed();
            });
          });
    }
  }

  @Test
  void anInvalidNodeListFailsStartUpNamingTheVariable() {
    runner.withPropertyValues(LimiterRedis.NODES_VARIABLE + "=127.0.0.1:7000,localhost").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage("cluster node is not host:port: localhost");
      assertThat(context.getStartupFailure()).hasStackTraceContaining(
          "PyAirtable metrics: invalid REDIS_CLUSTER_NODES: cluster node is not host:port: localhost");
    });
  }

  /**
   * Waits until the limiter decides on the cluster, then charges 20 calls on one base: returns how
   * many were refused (the counter agrees), after checking the base's bucket is on its slot's master.
   */
  private static int decidesOnTheCluster(ApplicationContext context, RedisCluster cluster) {
    AirtableRateLimiter limiter = context.getBean(AirtableRateLimiter.class);
    MetricsCollector collector = context.getBean(MetricsCollector.class);
    Await.until(Duration.ofSeconds(30), "the limiter decides on the cluster", () -> {
      limiter.checkBaseLimit("appWARMWARMWARMWA");
      return limiter.distributed();
    });
    // 5 per second per base: 20 calls in a row are refused at least once, however slow the machine
    int refused = 0;
    for (int i = 0; i < 20; i++) {
      if (!limiter.checkBaseLimit(BASE).allowed()) {
        refused++;
      }
    }
    assertThat(Samples.value(collector.exportMetrics(),
        "airtable_rate_limit_hits_total{base_id=\"" + BASE + "\",limit_type=\"base\",service=\"svc\"}"))
        .isEqualTo(refused);
    int port = cluster.ports().get(0);
    int slot = Integer.parseInt(cluster.cli(port, "cluster", "keyslot", BASE_KEY).strip());
    int master = cluster.masterOfSlot(port, slot);
    assertThat(cluster.cli(master, "exists", BASE_KEY).strip()).as("the bucket on its slot's master").isEqualTo("1");
    return refused;
  }
}
