package io.pyairtable.metrics.integrations.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.RedisCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis response cache on a real Redis Cluster: one table's responses share a slot (hash tag
 * {@code {base:table}}), other tables spread over the masters, and invalidating a table leaves no
 * key of it on any master while the other tables stay.
 */
class ClusterCacheInvalidationTest {

  private static final String BASE = "appClusterCache01";

  @Test
  @Timeout(120)
  void invalidatingATableRemovesItsKeysFromEveryMasterAndKeepsOtherTables() throws Exception {
    ClientResources resources = ClientResources.create();
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .initialize();
    try (RedisCluster cluster = RedisCluster.start()) {
      RedisEndpoint endpoint = RedisEndpoint.cluster(cluster.nodes(), resources, Duration.ofSeconds(1));
      try (RedisAvailability availability = RedisProbe.availability(endpoint, Duration.ofMillis(500));
          RedisAirtableResponseCache cache = new RedisAirtableResponseCache(endpoint, metrics, Duration.ofMinutes(5),
              RedisAirtableResponseCache.DEFAULT_PREFIX, Duration.ofMillis(500), availability)) {
        // the first probe may miss its 2 s on a loaded machine (cold cluster connection); the puts need the cluster
        Conditions.await(Duration.ofSeconds(30), "the cache uses the cluster", availability::useRedis);
        String[] tables = {"Users", "Orders", "Projects", "Tasks", "Notes", "Files"};
        for (String table : tables) {
          for (int q = 0; q < 10; q++) {
            cache.put(BASE, table, "page=" + q, "{\"records\":[" + q + "]}");
          }
        }
        int usersSlot = SlotHash.getSlot("pyairtable:cache:{" + BASE + ":Users}:any");
        int mastersHoldingKeys = 0;
        int masters = 0;
        for (int port : cluster.ports()) {
          if (!cluster.cli(port, "role").startsWith("master")) {
            continue;
          }
          masters++;
          int keys = keys(cluster, port, "pyairtable:cache:*");
          mastersHoldingKeys += keys > 0 ? 1 : 0;
          int users = keys(cluster, port, "pyairtable:cache:{" + BASE + ":Users}:*");
          assertThat(users).as("Users keys on master %d", port)
              .isEqualTo(cluster.masterOfSlot(port, usersSlot) == port ? 10 : 0);
        }
        assertThat(masters).isEqualTo(3);
        assertThat(mastersHoldingKeys).as("tables spread over the masters").isGreaterThan(1);

        for (String table : tables) {
          cache.invalidate(BASE, table.equals("Users") || table.equals("Tasks") ? table : "none-such");
        }
        cache.invalidate(BASE, "Orders");

        int left = 0;
        int usersLeft = 0;
        int ordersLeft = 0;
        int tasksLeft = 0;
        for (int port : cluster.ports()) {
          if (!cluster.cli(port, "role").startsWith("master")) {
            continue;
          }
          left += keys(cluster, port, "pyairtable:cache:*");
          usersLeft += keys(cluster, port, "pyairtable:cache:{" + BASE + ":Users}:*");
          ordersLeft += keys(cluster, port, "pyairtable:cache:{" + BASE + ":Orders}:*");
          tasksLeft += keys(cluster, port, "pyairtable:cache:{" + BASE + ":Tasks}:*");
        }
        assertThat(usersLeft).isZero();
        assertThat(ordersLeft).isZero();
        assertThat(tasksLeft).isZero();
        assertThat(left).isEqualTo(30);   // Projects, Notes, Files
        assertThat(cache.get(BASE, "Users", "page=1")).isEmpty();
        assertThat(cache.get(BASE, "Projects", "page=1")).hasValue("{\"records\":[1]}");
      } finally {
        endpoint.shutdown();
      }
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static int keys(RedisCluster cluster, int port, String pattern) {
    String out = cluster.cli(port, "--raw", "keys", pattern).trim();
    return out.isEmpty() ? 0 : (int) Arrays.stream(out.split("\n")).filter(s -> !s.isBlank()).count();
  }
}
