package io.pyairtable.metrics.integrations.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the shared state lives: one Redis ({@link RedisClient}, the default) or a Redis Cluster
 * ({@link RedisClusterClient}). The rate limiter, the response cache and {@link RedisProbe} take
 * an endpoint, so the same code runs against both; the callers' keys carry a hash tag
 * ({@code {appXXX}}) so that what belongs together lives on one cluster slot.
 *
 * <p>{@link #cluster(String, ClientResources, Duration)} parses {@code REDIS_CLUSTER_NODES}
 * ({@code host:port,host:port,...}, seeds: the rest of the cluster is discovered) and builds a
 * cluster client that rejects commands at once while a node's connection is down and refreshes
 * its topology adaptively (on {@code MOVED}/{@code ASK}, persistent reconnects, uncovered slots)
 * and periodically, so a promoted replica is used as soon as Lettuce sees it.
 *
 * <pre>{@code
 * RedisEndpoint redis = System.getenv("REDIS_CLUSTER_NODES") != null
 *     ? RedisEndpoint.cluster(System.getenv("REDIS_CLUSTER_NODES"), resources, Duration.ofSeconds(1))
 *     : RedisEndpoint.of(RedisProbe.failFast(RedisClient.create(resources, url), Duration.ofSeconds(1)));
 * AirtableRateLimiter limiter = new AirtableRateLimiter(redis, metrics, config, RedisProbe.availability(redis, timeout));
 * }</pre>
 */
public final class RedisEndpoint {

  /** Default period of the cluster client's background topology refresh (adaptive refresh comes on top). */
  public static final Duration DEFAULT_PERIODIC_REFRESH = Duration.ofSeconds(30);

  private final RedisClient single;
  private final RedisClusterClient cluster;

  private RedisEndpoint(RedisClient single, RedisClusterClient cluster) {
    this.single = single;
    this.cluster = cluster;
  }

  /** A single Redis, through {@code client} (its options are left as they are). */
  public static RedisEndpoint of(RedisClient client) {
    return new RedisEndpoint(Objects.requireNonNull(client, "client"), null);
  }

  /** A Redis Cluster, through {@code client} (its options are left as they are). */
  public static RedisEndpoint of(RedisClusterClient client) {
    return new RedisEndpoint(null, Objects.requireNonNull(client, "client"));
  }

  /**
   * A Redis Cluster reached through the seed nodes {@code nodes} ({@code host:port,host:port,...}),
   * with fail-fast options and adaptive plus periodic ({@link #DEFAULT_PERIODIC_REFRESH}) topology refresh.
   */
  public static RedisEndpoint cluster(String nodes, ClientResources resources, Duration connectTimeout) {
    return cluster(nodes, resources, connectTimeout, DEFAULT_PERIODIC_REFRESH);
  }

  /** As {@link #cluster(String, ClientResources, Duration)}, with the periodic topology refresh given. */
  public static RedisEndpoint cluster(String nodes, ClientResources resources, Duration connectTimeout,
      Duration periodicRefresh) {
    RedisClusterClient client = RedisClusterClient.create(resources, clusterNodes(nodes));
    client.setOptions(ClusterClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
            .enablePeriodicRefresh(periodicRefresh)
            .build())
        .build());
    return of(client);
  }

  /**
   * Parses {@code host:port,host:port,...} (blanks around entries ignored) into seed URIs.
   *
   * @throws IllegalArgumentException when the list is empty or an entry is not {@code host:port}
   */
  public static List<RedisURI> clusterNodes(String nodes) {
    Objects.requireNonNull(nodes, "nodes");
    List<RedisURI> uris = new ArrayList<>();
    for (String entry : nodes.split(",")) {
      String node = entry.strip();
      if (node.isEmpty()) {
        continue;
      }
      int colon = node.lastIndexOf(':');
      if (colon <= 0 || colon == node.length() - 1) {
        throw new IllegalArgumentException("cluster node is not host:port: " + node);
      }
      int port;
      try {
        port = Integer.parseInt(node.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cluster node port is not a number: " + node);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("cluster node port out of range: " + node);
      }
      uris.add(RedisURI.create(node.substring(0, colon), port));
    }
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("no cluster nodes given");
    }
    return uris;
  }

  /** True for a Redis Cluster. */
  public boolean isCluster() {
    return cluster != null;
  }

  /** Opens a connection (to the cluster: one that routes every command to its slot's master). */
  public <K, V> StatefulConnection<K, V> connect(RedisCodec<K, V> codec) {
    return cluster != null ? cluster.connect(codec) : single.connect(codec);
  }

  /** The synchronous commands of a connection opened by {@link #connect}. */
  public static <K, V> RedisClusterCommands<K, V> sync(StatefulConnection<K, V> connection) {
    if (connection instanceof StatefulRedisClusterConnection<K, V> c) {
      return c.sync();
    }
    return ((StatefulRedisConnection<K, V>) connection).sync();
  }

  /** The asynchronous commands of a connection opened by {@link #connect}. */
  public static <K, V> RedisClusterAsyncCommands<K, V> async(StatefulConnection<K, V> connection) {
    if (connection instanceof StatefulRedisClusterConnection<K, V> c) {
      return c.async();
    }
    return ((StatefulRedisConnection<K, V>) connection).async();
  }

  /** Shuts the underlying client down (only for endpoints whose client nobody else uses). */
  public void shutdown() {
    if (cluster != null) {
      cluster.shutdown();
    } else {
      single.shutdown();
    }
  }

  @Override
  public String toString() {
    return cluster != null ? "RedisEndpoint[cluster]" : "RedisEndpoint[single]";
  }
}
