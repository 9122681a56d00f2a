package io.pyairtable.metrics.spring.integrations;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.LettuceMetrics;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.time.Duration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where the starter's Airtable rate limiter keeps its shared budget, in this order:
 * <ol>
 *   <li>the Redis Cluster named by {@code pyairtable.metrics.rate-limiter.redis-cluster-nodes}, else by
 *       {@code REDIS_CLUSTER_NODES} ({@code host:port,host:port,...}, seed nodes): a cluster client of
 *       the limiter's own ({@link RedisEndpoint#cluster}: fail-fast, adaptive and periodic topology
 *       refresh, command metrics), shut down by {@link #close()};</li>
 *   <li>Spring's Lettuce connection: its {@link RedisClusterClient} when Spring's Redis is a cluster
 *       ({@code spring.data.redis.cluster.nodes}), its {@link RedisClient} otherwise; Spring owns it.</li>
 * </ol>
 *
 * <pre>{@code
 * try (LimiterRedis redis = LimiterRedis.resolve(environment, springFactory, collector)) {
 *   AirtableRateLimiter limiter = new AirtableRateLimiter(redis.endpoint(), collector, config);
 * }
 * }</pre>
 */
public final class LimiterRedis implements AutoCloseable {

  /** The seed nodes of a Redis Cluster of the limiter's own. */
  public static final String NODES_PROPERTY = "pyairtable.metrics.rate-limiter.redis-cluster-nodes";
  /** The environment variable read when {@link #NODES_PROPERTY} is not set. */
  public static final String NODES_VARIABLE = "REDIS_CLUSTER_NODES";
  /** Connect timeout of the limiter's own cluster client (as the Airtable gateway's). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final RedisEndpoint endpoint;
  private final ClientResources ownResources;
  private final String source;

  private LimiterRedis(RedisEndpoint endpoint, ClientResources ownResources, String source) {
    this.endpoint = endpoint;
    this.ownResources = ownResources;
    this.source = source;
  }

  /**
   * The limiter's Redis from the cluster-nodes property (or variable), else from Spring's factory.
   *
   * @throws IllegalStateException naming the property or variable when its value is not a node list,
   *     or when neither is set and there is no Spring Lettuce connection
   */
  public static LimiterRedis resolve(Environment environment, LettuceConnectionFactory spring,
      MetricsCollector collector) {
    String name = environment.containsProperty(NODES_PROPERTY) ? NODES_PROPERTY : NODES_VARIABLE;
    String nodes = environment.getProperty(name);
    if (nodes != null && !nodes.isBlank()) {
      try {
        RedisEndpoint.clusterNodes(nodes);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("PyAirtable metrics: invalid " + name + ": " + e.getMessage(), e);
      }
      ClientResources resources = LettuceMetrics.clientResources(collector);
      return new LimiterRedis(RedisEndpoint.cluster(nodes, resources, CONNECT_TIMEOUT), resources, name);
    }
    if (spring == null) {
      throw new IllegalStateException("PyAirtable metrics: the Airtable rate limiter needs Spring's Redis"
          + " (spring.data.redis.*) or " + NODES_PROPERTY + "; or set pyairtable.metrics.rate-limiter.enabled=false");
    }
    spring.start(); // idempotent: the native client exists once the factory is started
    AbstractRedisClient client = spring.getNativeClient();
    if (client instanceof RedisClusterClient cluster) {
      return new LimiterRedis(RedisEndpoint.of(cluster), null, "spring.data.redis.cluster");
    }
    if (client instanceof RedisClient single) {
      return new LimiterRedis(RedisEndpoint.of(single), null, "spring.data.redis");
    }
    throw new IllegalStateException("PyAirtable metrics: unsupported Lettuce client " + client
        + "; set " + NODES_PROPERTY + " or pyairtable.metrics.rate-limiter.enabled=false");
  }

  public RedisEndpoint endpoint() {
    return endpoint;
  }

  /** {@code cluster} or {@code single}, for the health details. */
  public String topology() {
    return endpoint.isCluster() ? "cluster" : "single";
  }

  /** Where it came from: the property or variable name, or {@code spring.data.redis[.cluster]}. */
  public String source() {
    return source;
  }

  /** Shuts down the limiter's own cluster client and its resources; Spring's client is left to Spring. */
  @Override
  public void close() {
    if (ownResources != null) {
      endpoint.shutdown();
      ownResources.shutdown();
    }
  }
}
