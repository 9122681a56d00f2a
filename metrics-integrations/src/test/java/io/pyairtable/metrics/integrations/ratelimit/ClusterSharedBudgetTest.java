package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three gateway replicas (three limiters, each with its own cluster client) on one base of a real
 * Redis Cluster (3 masters with a replica each): one shared budget; then the master holding the
 * base's slot is killed under load, its replica takes over, and the limiters fall back (counted,
 * each with its third of the budget), fail no request, and are back on the cluster afterwards.
 */
@Timeout(240)
class ClusterSharedBudgetTest {

  private static final int REPLICAS = 3;
  /** A bucket of 5 refilled at 5/s grants at most its burst (5) plus 5 in any one second. */
  private static final int WINDOW_BOUND = 5 + 5;
  /** Three local shares: bursts of 1 each plus 5/s between them. */
  private static final int LOCAL_WINDOW_BOUND = 5 + REPLICAS;

  private static RedisCluster cluster;
  private static ClientResources resources;

  /** One call: when it started and returned (s since the test's start), and what it decided. */
  private record Call(double asked, double answered, boolean allowed, boolean distributed) {}

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = RedisCluster.start();
    resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
  }

  @AfterAll
  static void stopCluster() {
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void threeReplicasShareOneBaseBudgetAndRideOutTheFailoverOfItsMaster() throws Exception {
    String base = "appClusterBudget01";
    String key = "pyairtable:ratelimit:{" + base + "}:base";
    AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
        .redisTimeout(Duration.ofMillis(500)).probeBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .localShareOf(REPLICAS).build();
    List<RedisEndpoint> endpoints = new ArrayList<>();
    List<MetricsCollector> collectors = new ArrayList<>();
    List<AirtableRateLimiter> limiters = new ArrayList<>();
    try {
      for (int i = 0; i < REPLICAS; i++) {
        RedisEndpoint endpoint = RedisEndpoint.cluster(cluster.nodes(), resources, Duration.ofSeconds(1));
        endpoints.add(endpoint);
        MetricsCollector collector = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
            .initialize();
        collectors.add(collector);
        limiters.add(new AirtableRateLimiter(endpoint, collector, config));
      }
      assertThat(limiters).allMatch(AirtableRateLimiter::distributed);

      List<List<Call>> calls = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      long hardEnd = start + TimeUnit.SECONDS.toNanos(60);
      long[] stopAt = {hardEnd};
      Thread[] threads = new Thread[REPLICAS];
      for (int i = 0; i < REPLICAS; i++) {
        List<Call> own = Collections.synchronizedList(new ArrayList<>());
        calls.add(own);
        AirtableRateLimiter limiter = limiters.get(i);
        threads[i] = new Thread(() -> {
          while (System.nanoTime() - stopAt[0] < 0) {
            double asked = (System.nanoTime() - start) / 1e9;
            try {
              RateLimitDecision d = limiter.checkBaseLimit(base);
              own.add(new Call(asked, (System.nanoTime() - start) / 1e9, d.allowed(), d.distributed()));
              if (!d.allowed()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
              }
            } catch (Throwable t) {
              failures.add(t);
            }
          }
        }, "gateway-replica-" + i);
        threads[i].start();
      }

      awaitSeconds(start, 3.0);
      int slot = SlotHash.getSlot(key);
      int master = cluster.masterOfSlot(cluster.ports().get(0), slot);
      assertThat(master).isPositive();
      double killedAt = (System.nanoTime() - start) / 1e9;
      cluster.kill(master);
      int survivor = cluster.ports().stream().filter(p -> p != master).findFirst().orElseThrow();
      Conditions.await(Duration.ofSeconds(30), "a replica took over slot " + slot, () -> {
        int now = cluster.masterOfSlot(survivor, slot);
        return now > 0 && now != master;
      });
      double promotedAt = (System.nanoTime() - start) / 1e9;
      Conditions.await(Duration.ofSeconds(30), "all replicas decide on the cluster again", () ->
          limiters.stream().allMatch(AirtableRateLimiter::distributed)
              && calls.stream().allMatch(c -> lastDistributedAfter(c, promotedAt)));
      double backAt = (System.nanoTime() - start) / 1e9;
      stopAt[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(70));
      }
      double end = (System.nanoTime() - start) / 1e9;

      List<Call> all = new ArrayList<>();
      calls.forEach(c -> all.addAll(new ArrayList<>(c)));
      double fallbacks = collectors.stream().mapToDouble(c -> Exposition.of(c)
          .value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_open")).sum();
      int before = maxInWindows(all, 1.0, killedAt, c -> c.allowed() && c.distributed());
      int localOnly = maxInWindows(all, 0.0, end, c -> c.allowed() && !c.distributed());
      int mixed = maxInWindows(all, killedAt, backAt + 1.0, Call::allowed);
      int after = maxInWindows(all, backAt, end, Call::allowed);
      long grantsBefore = all.stream().filter(c -> c.allowed() && c.answered() < killedAt).count();
      String newMaster = cluster.cli(cluster.masterOfSlot(survivor, slot), "exists", key).trim();
      System.out.printf(Locale.ROOT, "cluster shared budget: %d calls; before the kill (%.2f s) %d grants, max %d in"
              + " a 1 s window (bound %d); master %d killed, replica promoted after %.2f s, all replicas back on"
              + " the cluster after %.2f s; fallback decisions %.0f; max local grants in a 1 s window %d (bound %d);"
              + " max grants in a 1 s window around the failover %d; after it %d; failures %d; key on new master %s%n",
          all.size(), killedAt, grantsBefore, before, WINDOW_BOUND, master, promotedAt - killedAt, backAt - killedAt,
          fallbacks, localOnly, LOCAL_WINDOW_BOUND, mixed, after, failures.size(), newMaster);

      assertThat(failures).isEmpty();
      assertThat(grantsBefore).isGreaterThanOrEqualTo(10);
      assertThat(before).isLessThanOrEqualTo(WINDOW_BOUND);
      assertThat(after).isLessThanOrEqualTo(WINDOW_BOUND);
      assertThat(localOnly).isLessThanOrEqualTo(LOCAL_WINDOW_BOUND);
      // across both switches too: local buckets count from the base's last cluster decision, and the
      // first cluster decision afterwards charges the refilled bucket with what they granted
      assertThat(mixed).as("grants in a 1 s window around the failover").isLessThanOrEqualTo(WINDOW_BOUND);
      assertThat(fallbacks).isPositive();
      assertThat(all.stream().filter(c -> !c.distributed()).count()).isEqualTo((long) fallbacks);
      assertThat(newMaster).isEqualTo("1");
    } finally {
      limiters.forEach(AirtableRateLimiter::close);
      endpoints.forEach(e -> e.shutdown());
    }
  }

  private static boolean lastDistributedAfter(List<Call> calls, double after) {
    synchronized (calls) {
      return !calls.isEmpty() && calls.get(calls.size() - 1).distributed()
          && calls.get(calls.size() - 1).asked() > after;
    }
  }

  /**
   * The most calls matching {@code which} whose whole call lies in one 1 s window starting in
   * {@code [from, to - 1]} (windows every 50 ms).
   */
  private static int maxInWindows(List<Call> calls, double from, double to, Predicate<Call> which) {
    int max = 0;
    for (double w = from; w + 1.0 <= to; w += 0.05) {
      double f = w;
      int n = (int) calls.stream().filter(which).filter(c -> c.asked() >= f && c.answered() < f + 1.0).count();
      max = Math.max(max, n);
    }
    return max;
  }

  private static void awaitSeconds(long start, double seconds) {
    Conditions.await(Duration.ofSeconds(60), seconds + " s of load",
        () -> System.nanoTime() - start >= (long) (seconds * 1e9));
  }
}
