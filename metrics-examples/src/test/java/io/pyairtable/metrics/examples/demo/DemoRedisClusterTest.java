package io.pyairtable.metrics.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.integrations.testing.RedisCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code demo --redis-cluster-nodes}: the demo's Airtable gateway shares its rate limit and
 * response cache through the given Redis Cluster (six real redis-servers on loopback), its
 * readiness checks the cluster, the banner names it, and no local redis-server is started.
 */
class DemoRedisClusterTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void theDemosAirtableGatewayKeepsItsLimitAndCacheOnTheGivenCluster() throws Exception {
    try (RedisCluster cluster = RedisCluster.start()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      DemoOptions options = DemoOptions.builder().basePort(0).traffic(false)
          // a loaded machine's first cluster calls can pass the 250 ms default: a timed-out SET would turn the HIT below into a MISS
          .environment(Map.of("REDIS_TIMEOUT", "2s"))
          .redisClusterNodes(cluster.nodes()).out(new PrintStream(printed, true, StandardCharsets.UTF_8)).build();
      try (RunningDemo demo = Demo.start(options)) {
        assertThat(demo.redisUrl()).as("no local redis-server").isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("  Redis Cluster     " + cluster.nodes() + "   ")
            .doesNotContain("  Redis             ");
        String airtable = demo.baseUrl(ServiceCatalog.AIRTABLE_GATEWAY);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> ready = get(airtable + "/health/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(200);
          ready = get(airtable + "/health/ready");
        }
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\":{\"status\":\"up\"}");

        String records = airtable + "/bases/" + Demo.READ_BASE + "/tables/" + Demo.READ_TABLE + "/records?pageSize=3";
        assertThat(get(records).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(records).headers().firstValue("X-Cache")).hasValue("HIT");

        // the response on the cluster under its table's hash tag; the limiter decided there (its bucket keys
        // expire as soon as they are full again, so the decisions are read from its fallback counter: none)
        assertThat(keysOnMasters(cluster, "pyairtable:cache:{" + Demo.READ_BASE + ":" + Demo.READ_TABLE + "}:*"))
            .isEqualTo(1);
        assertThat(get(demo.metricsUrl(ServiceCatalog.AIRTABLE_GATEWAY)).body().lines()
            .filter(l -> l.startsWith(MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name() + "{")))
            .isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(" 0.0"));
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Keys matching {@code pattern} summed over the cluster's masters. */
  private static int keysOnMasters(RedisCluster cluster, String pattern) {
    int keys = 0;
    for (int port : cluster.ports()) {
      if (cluster.cli(port, "role").startsWith("master")) {
        keys += (int) cluster.cli(port, "--raw", "keys", pattern).lines().filter(l -> !l.isBlank()).count();
      }
    }
    return keys;
  }
}
