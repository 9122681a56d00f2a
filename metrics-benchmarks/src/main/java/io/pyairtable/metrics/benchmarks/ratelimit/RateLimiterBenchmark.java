package io.pyairtable.metrics.benchmarks.ratelimit;

import io.pyairtable.metrics.benchmarks.timing.SuiteTiming;
import io.pyairtable.metrics.integrations.ratelimit.RateLimitDecision;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Decisions of {@code AirtableRateLimiter} (metrics on) against raw Bucket4j-on-Lettuce doing the
 * same two-bucket acquire ({@link LimiterFixture}), on a real {@code redis-server}, with one client
 * thread and with 8; each thread charges its own base and all share one access token. Sampled
 * ({@code SampleTime}): the score is the mean time per decision, the {@code p0.99} line the 99th
 * percentile; decisions per second = threads / mean. The in-process benchmarks ({@code local*},
 * average time in ns) take the limiter's decision without Redis (its fallback) against two plain
 * local Bucket4j buckets.
 *
 * <pre>
 * java -jar metrics-benchmarks/target/benchmarks.jar 'RateLimiterBenchmark.redis'
 * metrics-benchmarks/bin/rate-limiter 5
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RateLimiterBenchmark extends SuiteTiming {

  /** Marks the line printed when a fork ends, read by {@code bin/rate-limiter}. */
  public static final String FALLBACK_LINE = "limiter decisions taken in fallback:";

  /** One Redis and both sides, shared by the threads of a run. */
  @State(Scope.Benchmark)
  public static class OnRedis {
    LimiterFixture fixture;
    final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void start() {
      fixture = LimiterFixture.withRedis();
    }

    @TearDown(Level.Trial)
    public void stop() {
      System.out.println(FALLBACK_LINE + " " + fixture.fallbackDecisions());
      fixture.close();
    }
  }

  /** The limiter without Redis, and two local buckets. */
  @State(Scope.Benchmark)
  public static class InProcess {
    LimiterFixture fixture;
    final String base = LimiterFixture.baseId(0);

    @Setup(Level.Trial)
    public void start() {
      fixture = LimiterFixture.inProcess();
    }

    @TearDown(Level.Trial)
    public void stop() {
      fixture.close();
    }
  }

  /** This thread's base. */
  @State(Scope.Thread)
  public static class Base {
    String id;

    @Setup(Level.Trial)
    public void pick(OnRedis redis) {
      id = LimiterFixture.baseId(redis.threads.getAndIncrement());
    }
  }

  @Benchmark
  @Threads(1)
  public RateLimitDecision redisOurs(OnRedis redis, Base base) {
    return redis.fixture.limiter().checkBaseLimit(base.id);
  }

  @Benchmark
  @Threads(1)
  public boolean redisRawBucket4j(OnRedis redis, Base base) {
    return redis.fixture.rawDecision(base.id);
  }

  /** {@link #redisOurs} on 8 threads. */
  @Benchmark
  @Threads(8)
  public RateLimitDecision redisOurs8Threads(OnRedis redis, Base base) {
    return redisOurs(redis, base);
  }

  /** {@link #redisRawBucket4j} on 8 threads. */
  @Benchmark
  @Threads(8)
  public boolean redisRawBucket4j8Threads(OnRedis redis, Base base) {
    return redisRawBucket4j(redis, base);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public RateLimitDecision localOurs(InProcess local) {
    return local.fixture.limiter().checkBaseLimit(local.base);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public boolean localRawBucket4j(InProcess local) {
    return local.fixture.localDecision();
  }
}
