package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import io.pyairtable.metrics.spring.integrations.CircuitBreakerBinder;
import io.pyairtable.metrics.spring.integrations.RateLimiterHealthIndicator;
import io.pyairtable.metrics.spring.testing.Await;
import io.pyairtable.metrics.spring.testing.RedisServer;
import io.pyairtable.metrics.spring.testing.Samples;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each integration bean against the real library: Resilience4j, HikariCP on H2, Caffeine, redis-server. */
@Timeout(120)
class IntegrationsTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(PyAirtableMetricsAutoConfiguration.class))
      .withPropertyValues("spring.application.name=svc");

  @Test
  void everyBreakerOfTheApplicationsRegistryIsBoundAlsoOnesCreatedLater() {
    runner.withBean(CircuitBreakerRegistry.class, () -> {
      CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
      registry.circuitBreaker("early");
      return registry;
    }).run(context -> {
      CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      CircuitBreaker late = registry.circuitBreaker("late");
      try {
        late.executeRunnable(() -> {
          throw new IllegalStateException("backend down");
        });
      } catch (IllegalStateException expected) {
        // the breaker records it and rethrows
      }

      String text = collector.exportMetrics();
      assertThat(context.getBean(CircuitBreakerBinder.class).boundCount()).isEqualTo(2);
      assertThat(text.lines()).contains(
          "circuit_breaker_state{circuit_name=\"early\",service=\"svc\",circuit_breaker_state=\"closed\"} 1",
          "circuit_breaker_state{circuit_name=\"late\",service=\"svc\",circuit_breaker_state=\"closed\"} 1",
          "circuit_breaker_failures_total{circuit_name=\"late\",service=\"svc\"} 1.0");
    });
  }

  @Test
  void noBreakerBinderWithoutARegistryBean() {
    runner.run(context -> assertThat(context).doesNotHaveBean(CircuitBreakerBinder.class));
  }

  @Test
  void aHikariPoolReportsToTheCollectorAndKeepsMicrometersHikariMeters() {
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
            DataSourcePoolMetricsAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:users;DB_CLOSE_DELAY=-1",
            "spring.datasource.hikari.pool-name=users", "spring.datasource.hikari.maximum-pool-size=4")
        .run(context -> {
          MetricsCollector collector = context.getBean(MetricsCollector.class);
          try (Connection c = context.getBean(DataSource.class).getConnection()) {
            assertThat(c.isValid(5)).isTrue();
            Await.until(Duration.ofSeconds(30), "one active connection in the pool", () -> Samples.value(
                collector.exportMetrics(), "database_connections_active{pool=\"users\",service=\"svc\"}") == 1.0);
          }
          String text = collector.exportMetrics();
          assertThat(Samples.value(text, "database_connections_max{pool=\"users\",service=\"svc\"}")).isEqualTo(4.0);
          assertThat(Samples.value(text, "hikaricp_connections_max{pool=\"users\",service=\"svc\"}")).isEqualTo(4.0);
        });
  }

  @Test
  void theCaffeineBuilderBeanRecordsCacheOperations() {
    runner.run(context -> {
      @SuppressWarnings("unchecked")
      Caffeine<Object, Object> builder = context.getBean(Caffeine.class);
      Cache<String, String> cache = builder.maximumSize(10).build();
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      cache.getIfPresent("u1");
      cache.put("u1", "Ada");
      cache.getIfPresent("u1");
      cache.getIfPresent("u1");

      String text = collector.exportMetrics();
      assertThat(Samples.value(text, "cache_operations_total{operation=\"get\",result=\"hit\",service=\"svc\"}"))
          .isEqualTo(2.0);
      assertThat(Samples.value(text, "cache_operations_total{operation=\"get\",result=\"miss\",service=\"svc\"}"))
          .isEqualTo(1.0);
    });
  }

  @Test
  void theRateLimiterRunsOnSpringsLettuceConnectionAndItsHealthFollowsRedis() throws Exception {
    RedisServer redis = RedisServer.start();
    try {
      runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
          .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
              "spring.data.redis.timeout=2s")
          // the application's limiter settings bean is used; a generous Redis timeout for a loaded machine
          .withBean(AirtableRateLimiterConfig.class,
              () -> AirtableRateLimiterConfig.builder().redisTimeout(Duration.ofSeconds(2)).build())
          .run(context -> {
            AirtableRateLimiter limiter = context.getBean(AirtableRateLimiter.class);
            RateLimiterHealthIndicator health = context.getBean(RateLimiterHealthIndicator.class);
            MetricsCollector collector = context.getBean(MetricsCollector.class);

            assertThat(limiter.config().redisTimeout()).isEqualTo(Duration.ofSeconds(2));
            Await.until(Duration.ofSeconds(30), "the limiter decides in Redis", () -> {
              limiter.checkBaseLimit("appWWWWWWWWWWWWWW");
              return limiter.distributed();
            });
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("mode", "redis");
            // 5 per second per base: 20 calls in a row are refused at least once, however slow the machine
            int refused = 0;
            for (int i = 0; i < 20; i++) {
              if (!limiter.checkBaseLimit("appAAAAAAAAAAAAAA").allowed()) {
                refused++;
              }
            }
            assertThat(refused).isPositive();
            assertThat(Samples.value(collector.exportMetrics(),
                "airtable_rate_limit_hits_total{base_id=\"appAAAAAAAAAAAAAA\",limit_type=\"base\",service=\"svc\"}"))
                .isEqualTo(refused);

            redis.close();
            Await.until(Duration.ofSeconds(60), "the limiter falls back once Redis is gone", () -> {
              limiter.checkBaseLimit("appBBBBBBBBBBBBBB");
              return !limiter.distributed();
            });
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("mode", "fallback");
          });
    } finally {
      redis.close();
    }
  }

  @Test
  void noRateLimiterWhenItIsSwitchedOff() {
    runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
        .withPropertyValues("pyairtable.metrics.rate-limiter.enabled=false", "spring.data.redis.port=1")
        .run(context -> assertThat(context).doesNotHaveBean(AirtableRateLimiter.class));
  }
}
