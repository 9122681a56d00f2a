package io.pyairtable.metrics.benchmarks.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.integrations.ratelimit.RateLimitDecision;
import java.util.Arrays;
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
  void pairedRoundsGiveOneRatioPerRoundAndCountTheRedisCommandsOfEachSide() throws InterruptedException {
    try (LimiterFixture fixture = LimiterFixture.withRedis()) {
      LimiterPairs.Result r = LimiterPairs.run(fixture, 2, 3, 20, 4);

      assertThat(r.ours()).hasSize(3);
      assertThat(r.raw()).hasSize(3);
      assertThat(r.fallbackDecisions()).isZero();
      assertThat(r.ratios(LimiterPairs.Block::timeUs)).hasSize(3);
      assertThat(r.interleaved()).hasSize(3).allSatisfy(i -> {
        assertThat(i.oursP99Us()).isPositive();
        assertThat(i.rawP99Us()).isPositive();
      });
      assertThat(r.line()).startsWith("PAIRED threads=2 rounds=3 fallback=0 time_ratio=");
      // every figure the script reads: ratio, rounds and both sides' medians
      assertThat(Arrays.stream(r.line().split(" ")).skip(1).map(kv -> kv.substring(0, kv.indexOf('='))))
          .containsExactly("threads", "rounds", "fallback",
              "time_ratio", "time_rounds", "ours_time", "raw_time", "p99_ratio", "p99_rounds", "ours_p99", "raw_p99",
              "cpu_ratio", "cpu_rounds", "ours_cpu", "raw_cpu", "cmds_ratio", "cmds_rounds", "ours_cmds", "raw_cmds",
              "redis_cpu_ratio", "redis_cpu_rounds", "ours_redis_cpu", "raw_redis_cpu",
              "p99i_ratio", "p99i_rounds", "ours_p99i", "raw_p99i", "ours_by_command", "raw_by_command");
      // one client, no race: both sides send exactly the same commands per decision
      LimiterPairs.Result one = LimiterPairs.run(fixture, 1, 1, 10, 2);
      assertThat(one.ours().get(0).commandsByName()).containsKeys("get", "eval")
          .isEqualTo(one.raw().get(0).commandsByName());
    }
  }

  @Test
  void baseIdsHaveAirtablesShape() {
    assertThat(LimiterFixture.baseId(7)).isEqualTo("appBench000000007").hasSize(17);
  }
}
