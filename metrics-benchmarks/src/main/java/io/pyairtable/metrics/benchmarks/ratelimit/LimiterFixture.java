package io.pyairtable.metrics.benchmarks.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.examples.demo.LocalRedis;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rate-limiter benchmark's two sides on one throw-away {@code redis-server} (free 127.0.0.1
 * port, temp dir): this library's {@link AirtableRateLimiter} with metrics on, and raw Bucket4j on
 * Lettuce (the CAS-based proxy manager on its own connection) with the same bucket configuration,
 * the same expiry and keys of the same shape, taking a decision the same way: one token from the
 * base's bucket, then one from the access token's bucket (the base token given back if the second
 * refuses). Limits are high enough that every decision is a grant, so both sides do the two
 * round trips of a granted request. Plus, without Redis, the limiter's in-process decisions against
 * two plain local Bucket4j buckets.
 *
 * <pre>{@code
 * try (LimiterFixture f = LimiterFixture.withRedis()) {
 *   f.limiter().checkBaseLimit(LimiterFixture.baseId(0));   // ours
 *   f.rawDecision(LimiterFixture.baseId(0));                // raw Bucket4j
 * }
 * }</pre>
 */
public final class LimiterFixture implements AutoCloseable {

  /** Permits per second of each bucket: every decision of a benchmark run is a grant. */
  public static final long PERMITS = 1_000_000_000L;
  /** The access-token id both sides charge. */
  public static final String TOKEN_ID = "patBenchmark0000.token";
  /** The raw side's key prefix: same shape and length class as the limiter's {@code pyairtable:ratelimit:}. */
  public static final String RAW_PREFIX = "pyairtable:rawbucket4j:";

  private static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

  private final LocalRedis redis;
  private final RedisClient client;
  private final MetricsCollector collector;
  private final AirtableRateLimiter limiter;
  private final StatefulRedisConnection<byte[], byte[]> rawConnection;
  private final ProxyManager<byte[]> raw;
  private final BucketConfiguration rawConfiguration;
  private final byte[] rawTokenKey;
  private final Bucket localBase;
  private final Bucket localToken;
  private StatefulRedisConnection<String, String> infoConnection;

  private LimiterFixture(LocalRedis redis, String url) {
    this.redis = redis;
    this.client = RedisClient.create(url);
    this.collector = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false).initialize();
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
        .perBase(PERMITS, PERIOD).perToken(PERMITS, PERIOD).tokenId(TOKEN_ID)
        .redisTimeout(REDIS_TIMEOUT).probeBackoff(Duration.ofSeconds(30), Duration.ofMinutes(5)).build();
    this.limiter = new AirtableRateLimiter(client, collector, config);
    this.rawConfiguration = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(PERMITS).refillGreedy(PERMITS, PERIOD).build()).build();
    this.rawTokenKey = (RAW_PREFIX + "{" + digest(TOKEN_ID) + "}:token").getBytes(StandardCharsets.UTF_8);
    if (redis != null) {
      this.rawConnection = client.connect(ByteArrayCodec.INSTANCE);
      rawConnection.setTimeout(REDIS_TIMEOUT);
      this.raw = Bucket4jLettuce.casBasedBuilder(rawConnection)
          .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
              PERIOD.plus(config.coolDown())))
          .requestTimeout(REDIS_TIMEOUT)
          .build();
    } else {
      this.rawConnection = null;
      this.raw = null;
    }
    Bandwidth local = Bandwidth.builder().capacity(PERMITS).refillGreedy(PERMITS, PERIOD).build();
    this.localBase = Bucket.builder().addLimit(local).build();
    this.localToken = Bucket.builder().addLimit(local).build();
  }

  /** Both sides on a fresh {@code redis-server} (from the PATH). */
  public static LimiterFixture withRedis() {
    LocalRedis redis = LocalRedis.startIfInstalled()
        .orElseThrow(() -> new IllegalStateException("redis-server is not on the PATH (bin/run-tests installs it)"));
    try {
      return new LimiterFixture(redis, redis.url());
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  /**
   * The limiter without a Redis to talk to (a free port nothing listens on): every decision is its
   * in-process fallback ({@code FAIL_OPEN}, counted in {@code airtable_rate_limiter_fallback_total}).
   */
  public static LimiterFixture inProcess() {
    return new LimiterFixture(null, "redis://127.0.0.1:" + LoopbackPorts.free());
  }

  /** The base id used by benchmark thread {@code n}: {@code app} and 14 characters, as Airtable's. */
  public static String baseId(int n) {
    return String.format("appBench%09d", n);
  }

  /** This library's limiter. */
  public AirtableRateLimiter limiter() {
    return limiter;
  }

  /** The limiter's collector. */
  public MetricsCollector collector() {
    return collector;
  }

  /** Raw Bucket4j-on-Lettuce: the base's bucket, then the token's; true when both granted. */
  public boolean rawDecision(String baseId) {
    Bucket base = raw.getProxy(baseKey(baseId), () -> rawConfiguration);
    ConsumptionProbe b = base.tryConsumeAndReturnRemaining(1);
    if (!b.isConsumed()) {
      return false;
    }
    ConsumptionProbe t = raw.getProxy(rawTokenKey, () -> rawConfiguration).tryConsumeAndReturnRemaining(1);
    if (!t.isConsumed()) {
      base.addTokens(1);
      return false;
    }
    return true;
  }

  /** Two plain in-process Bucket4j buckets, the same two steps. */
  public boolean localDecision() {
    ConsumptionProbe b = localBase.tryConsumeAndReturnRemaining(1);
    if (!b.isConsumed()) {
      return false;
    }
    ConsumptionProbe t = localToken.tryConsumeAndReturnRemaining(1);
    if (!t.isConsumed()) {
      localBase.addTokens(1);
      return false;
    }
    return true;
  }

  /** The raw side's key of a base's bucket (the limiter's shape under {@link #RAW_PREFIX}). */
  static byte[] baseKey(String baseId) {
    return (RAW_PREFIX + "{" + baseId + "}:base").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Redis's own counters: {@code INFO commandstats} and {@code INFO cpu} as name → value (a
   * command's {@code cmdstat_<name>} gives its {@code calls}; {@code used_cpu_user} and
   * {@code used_cpu_sys} the server's CPU seconds), read on a connection of its own.
   */
  public Map<String, Double> redisCounters() {
    if (redis == null) {
      throw new IllegalStateException("no redis-server in process mode");
    }
    synchronized (this) {
      if (infoConnection == null) {
        infoConnection = client.connect();
      }
    }
    Map<String, Double> counters = new TreeMap<>();
    String info = infoConnection.sync().info("commandstats") + infoConnection.sync().info("cpu");
    for (String line : info.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (line.startsWith("cmdstat_")) {
        String calls = line.substring(colon + 1).split(",")[0];
        counters.put(line.substring(0, colon), Double.parseDouble(calls.substring(calls.indexOf('=') + 1)));
      } else if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        counters.put(line.substring(0, colon), Double.parseDouble(line.substring(colon + 1).trim()));
      }
    }
    return counters;
  }

  /** Decisions the limiter took in process because Redis was not usable, as its metric counts them. */
  public long fallbackDecisions() {
    String name = MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name();
    double total = 0;
    for (MetricSnapshot s : collector.prometheusRegistry().scrape(n -> n.startsWith(name.replace("_total", "")))) {
      for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) s).getDataPoints()) {
        total += p.getValue();
      }
    }
    return (long) total;
  }

  private static String digest(String tokenId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(tokenId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    limiter.close();
    if (rawConnection != null) {
      rawConnection.close();
    }
    if (infoConnection != null) {
      infoConnection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (redis != null) {
      redis.close();
    }
  }
}
