package io.pyairtable.metrics.spring.integrations;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.cache.CaffeineCacheMetrics;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The integrations, each only when its library is on the class path (and its bean exists):
 * Resilience4j breakers, HikariCP pools, Caffeine caches, the Airtable rate limiter on Spring's
 * Lettuce connection or a Redis Cluster, and its health.
 *
 * <pre>{@code
 * pyairtable.metrics.rate-limiter.enabled: false   # no limiter bean even with Redis present
 * }</pre>
 */
public final class IntegrationsConfiguration {

  private IntegrationsConfiguration() {}

  /** Every breaker of the application's Resilience4j registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(CircuitBreakerRegistry.class)
  @ConditionalOnBean(CircuitBreakerRegistry.class)
  public static class Resilience4j {
    @Bean
    @ConditionalOnMissingBean
    public CircuitBreakerBinder pyairtableCircuitBreakerBinder(ObjectProvider<CircuitBreakerRegistry> registries,
        MetricsCollector collector) {
      return new CircuitBreakerBinder(registries.orderedStream().toList(), collector);
    }
  }

  /** Every HikariCP pool bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HikariDataSource.class)
  public static class Hikari {
    @Bean
    public static HikariMetricsPostProcessor pyairtableHikariMetrics(ObjectProvider<MetricsCollector> collector,
        BeanFactory beans) {
      boolean micrometer = ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry",
          Hikari.class.getClassLoader());
      return new HikariMetricsPostProcessor(collector, () -> micrometer ? MicrometerHikari.factory(beans) : null);
    }
  }

  /**
   * A {@code Caffeine} builder recording into {@code cache_operations_total}/{@code cache_hit_ratio}:
   * Spring Boot's Caffeine cache manager uses it (unless {@code spring.cache.caffeine.spec} is set),
   * and application code can build its caches from it. A prototype: every injection point gets a
   * builder of its own (Caffeine builders are mutable).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Caffeine.class)
  public static class CaffeineCaches {
    @Bean
    @ConditionalOnMissingBean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    public Caffeine<Object, Object> pyairtableCaffeine(MetricsCollector collector) {
      return Caffeine.newBuilder().recordStats(CaffeineCacheMetrics.statsCounter(collector));
    }
  }

  /**
   * The Airtable rate limiter, shared through a Redis Cluster named by
   * {@code pyairtable.metrics.rate-limiter.redis-cluster-nodes} / {@code REDIS_CLUSTER_NODES}, else
   * through Spring's Lettuce connection (a single Redis or, with {@code spring.data.redis.cluster.nodes},
   * a cluster); see {@link LimiterRedis}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({LettuceConnectionFactory.class, AirtableRateLimiter.class,
      Bucket4jLettuce.class})
  @Conditional(RateLimiter.RedisConfigured.class)
  @ConditionalOnBooleanProperty(name = "pyairtable.metrics.rate-limiter.enabled", matchIfMissing = true)
  public static class RateLimiter {

    /** Spring's Lettuce connection exists, or cluster nodes are given. */
    static final class RedisConfigured extends AnyNestedCondition {
      RedisConfigured() {
        super(ConfigurationPhase.REGISTER_BEAN);
      }

      @ConditionalOnBean(LettuceConnectionFactory.class)
      static final class SpringRedis {
      }

      @ConditionalOnProperty(LimiterRedis.NODES_PROPERTY)
      static final class NodesProperty {
      }

      @ConditionalOnProperty(LimiterRedis.NODES_VARIABLE)
      static final class NodesVariable {
      }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public LimiterRedis pyairtableRateLimiterRedis(Environment environment,
        ObjectProvider<LettuceConnectionFactory> connections, MetricsCollector collector) {
      return LimiterRedis.resolve(environment, connections.getIfAvailable(), collector);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AirtableRateLimiter pyairtableAirtableRateLimiter(LimiterRedis redis, MetricsCollector collector,
        ObjectProvider<AirtableRateLimiterConfig> config) {
      return new AirtableRateLimiter(redis.endpoint(), collector, config.getIfAvailable(AirtableRateLimiterConfig::defaults));
    }

    /** The limiter's Redis mode in Actuator's health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    public static class Health {
      @Bean
      @ConditionalOnMissingBean(name = "airtableRateLimiterHealthIndicator")
      public RateLimiterHealthIndicator airtableRateLimiterHealthIndicator(AirtableRateLimiter limiter,
          ObjectProvider<LimiterRedis> redis) {
        LimiterRedis where = redis.getIfAvailable();
        return new RateLimiterHealthIndicator(limiter, where == null ? null : where.topology());
      }
    }
  }
}
