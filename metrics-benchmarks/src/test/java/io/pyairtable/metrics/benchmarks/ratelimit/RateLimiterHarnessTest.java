package io.pyairtable.metrics.benchmarks.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.integrations.ratelimit.RateLimitDecision;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rate-limiter harness starts its redis-server and both sides take granted decisions on it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimiterHarnessTest {

  @Test
  void bothSidesGrantOnTheLocalRedisWithoutFallingBack() {
    RateLimiterBenchmark benchmark = new RateLimiterBenchmark();
    RateLimiterBenchmark.OnRedis redis = new RateLimiterBenchmark.OnRedis();
    redis.start();
    try {
      RateLimiterBenchmark.Base base = new RateLimiterBenchmark.Base();
      base.pick(redis);

      RateLimitDecision ours = benchmark.redisOurs(redis, base);
      assertThat(ours.allowed()).isTrue();
      assertThat(ours.distributed()).isTrue();
      assertThat(benchmark.redisRawBucket4j(redis, base)).isTrue();
      assertThat(benchmark.redisOurs8Threads(redis, base).allowed()).isTrue();
      assertThat(benchmark.redisRawBucket4j8Threads(redis, base)).isTrue();
      assertThat(redis.fixture.fallbackDecisions()).isZero();
    } finally {
      redis.stop();
    }
  }

  @Test
  void inProcessSideDecidesInItsFallbackAndCountsIt() {
    RateLimiterBenchmark benchmark = new RateLimiterBenchmark();
    RateLimiterBenchmark.InProcess local = new RateLimiterBenchmark.InProcess();
    local.start();
    try {
      RateLimitDecision ours = benchmark.localOurs(local);
      assertThat(ours.allowed()).isTrue();
      assertThat(ours.distributed()).isFalse();
      assertThat(benchmark.localRawBucket4j(local)).isTrue();
      assertThat(local.fixture.fallbackDecisions()).isEqualTo(1);
    } finally {
      local.stop();
    }
  }

  @Test
  void baseIdsHaveAirtablesShape() {
    assertThat(LimiterFixture.baseId(7)).isEqualTo("appBench000000007").hasSize(17);
  }
}
