package io.pyairtable.metrics.integrations.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The limiter's buckets in Redis: one connection of its own (to one Redis, or to a cluster, where
 * Bucket4j's compare-and-swap script is routed to the master of the key's slot), opened lazily,
 * and the bucket proxies on it.
 *
 * <pre>{@code
 * RedisBuckets buckets = new RedisBuckets(endpoint, config, keys, keys.token(config.tokenId()),
 *     baseConfiguration, tokenConfiguration, Duration.ofSeconds(31));
 * Bucket base = buckets.base("appXXX");                                   // pyairtable:ratelimit:{appXXX}:base
 * Bucket token = buckets.token("pyairtable:ratelimit:{0123abcd}:token");
 * }</pre>
 *
 * <p>Base proxies are cached by base id and token proxies by their key, so a decision builds no
 * key string: the base's Redis key is built only when its proxy is created. The configured token's
 * proxy (the key every {@code checkBaseLimit} charges) is held in a field, built on connect: the
 * decisions of all threads would otherwise meet on one cache entry. A proxy holds no bucket state
 * (that lives in Redis), so keeping this one does not grow with the keys seen.
 */
final class RedisBuckets implements AutoCloseable {

  private final RedisEndpoint endpoint;
  private final AirtableRateLimiterConfig config;
  private final Cache<String, Bucket> baseProxies;
  private final Cache<String, Bucket> tokenProxies;
  private final Function<String, Bucket> newBaseProxy;
  private final Function<String, Bucket> newTokenProxy;
  private final String configuredTokenKey;
  private final BucketConfiguration tokenConfiguration;
  private volatile Bucket configuredToken;
  private volatile StatefulConnection<byte[], byte[]> connection;
  private volatile ProxyManager<byte[]> proxies;
  private volatile boolean closed;

  RedisBuckets(RedisEndpoint endpoint, AirtableRateLimiterConfig config, BucketKeys keys, String configuredTokenKey,
      BucketConfiguration baseConfiguration, BucketConfiguration tokenConfiguration, Duration idle) {
    this.endpoint = endpoint;
    this.config = config;
    this.configuredTokenKey = configuredTokenKey;
    this.tokenConfiguration = tokenConfiguration;
    this.baseProxies = LocalBuckets.idleCache(idle);
    this.tokenProxies = LocalBuckets.idleCache(idle);
    this.newBaseProxy = baseId -> proxy(keys.base(baseId), baseConfiguration);
    this.newTokenProxy = key -> proxy(key, tokenConfiguration);
  }

  /** The shared bucket of {@code baseId}, connecting first if needed. */
  Bucket base(String baseId) {
    connected();
    return baseProxies.get(baseId, newBaseProxy);
  }

  /**
   * The shared bucket under the token key {@code key}, connecting first if needed; the configured
   * token's key (the same instance) without a cache lookup.
   */
  Bucket token(String key) {
    connected();
    if (key == configuredTokenKey) {
      Bucket configured = configuredToken;
      if (configured != null) {
        return configured;
      }
    }
    return tokenProxies.get(key, newTokenProxy);
  }

  private void connected() {
    connect();
    if (proxies == null) {
      throw new IllegalStateException("not connected to Redis");
    }
  }

  private Bucket proxy(String key, BucketConfiguration configuration) {
    ProxyManager<byte[]> manager = proxies;
    if (manager == null) {
      throw new IllegalStateException("not connected to Redis");
    }
    return manager.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
  }

  /** Bucket proxies kept right now, after dropping idle ones. */
  long trackedKeys() {
    return LocalBuckets.sizeAfterCleanUp(baseProxies) + LocalBuckets.sizeAfterCleanUp(tokenProxies);
  }

  void connect() {
    if (connection == null) {
      connectOnce();
    }
  }

  private synchronized void connectOnce() {
    if (connection != null || closed) {
      return;
    }
    StatefulConnection<byte[], byte[]> c = endpoint.connect(ByteArrayCodec.INSTANCE);
    c.setTimeout(config.redisTimeout());
    Bucket4jLettuce.LettuceBasedProxyManagerBuilder<byte[]> builder =
        c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster
            ? Bucket4jLettuce.casBasedBuilder(cluster)
            : Bucket4jLettuce.casBasedBuilder((StatefulRedisConnection<byte[], byte[]>) c);
    this.proxies = builder
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
            config.basePeriod().plus(config.coolDown())))
        .requestTimeout(config.redisTimeout())
        .build();
    baseProxies.invalidateAll();
    tokenProxies.invalidateAll();
    this.configuredToken = proxy(configuredTokenKey, tokenConfiguration);
    this.connection = c;
  }

  /** A PING on the limiter's connection (connecting first when there is none yet). */
  CompletionStage<?> probe() {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("limiter closed"));
    }
    StatefulConnection<byte[], byte[]> c = connection;
    if (c == null) {
      return CompletableFuture.runAsync(this::connect);
    }
    if (!c.isOpen()) {
      return CompletableFuture.failedFuture(new IllegalStateException("Redis connection is not open"));
    }
    return RedisEndpoint.async(c).ping().toCompletableFuture()
        .orTimeout(config.redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    StatefulConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.close();
    }
  }
}
