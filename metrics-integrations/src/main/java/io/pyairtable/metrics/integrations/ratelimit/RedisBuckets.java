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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The limiter's buckets in Redis: one connection of its own (to one Redis, or to a cluster, where
 * Bucket4j's compare-and-swap script is routed to the master of the key's slot), opened lazily,
 * and the bucket proxies on it.
 *
 * <pre>{@code
 * RedisBuckets buckets = new RedisBuckets(endpoint, config, idleCache);
 * Bucket base = buckets.bucket("pyairtable:ratelimit:{appXXX}:base", configuration);
 * }</pre>
 */
final class RedisBuckets implements AutoCloseable {

  private final RedisEndpoint endpoint;
  private final AirtableRateLimiterConfig config;
  private final Cache<String, Bucket> proxiesByKey;
  private volatile StatefulConnection<byte[], byte[]> connection;
  private volatile ProxyManager<byte[]> proxies;
  private volatile boolean closed;

  RedisBuckets(RedisEndpoint endpoint, AirtableRateLimiterConfig config, Cache<String, Bucket> proxiesByKey) {
    this.endpoint = endpoint;
    this.config = config;
    this.proxiesByKey = proxiesByKey;
  }

  /** The shared bucket under {@code key}, connecting first if needed. */
  Bucket bucket(String key, BucketConfiguration configuration) {
    connect();
    ProxyManager<byte[]> manager = proxies;
    if (manager == null) {
      throw new IllegalStateException("not connected to Redis");
    }
    return proxiesByKey.get(key, k -> manager.getProxy(k.getBytes(StandardCharsets.UTF_8), () -> configuration));
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
    proxiesByKey.invalidateAll();
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
