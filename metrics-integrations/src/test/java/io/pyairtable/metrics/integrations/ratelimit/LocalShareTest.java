package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While Redis is unreachable, n gateway replicas configured {@code localShareOf(n)} decide alone
 * but together stay within Airtable's 5 requests/second of one base.
 */
class LocalShareTest {

  @Test
  void bandwidthOfAShareIsTheLimitDividedAmongTheReplicas() {
    var share = LocalBuckets.share(5, Duration.ofSeconds(1), 3);
    assertThat(share.getCapacity()).isEqualTo(1);
    assertThat(share.getRefillTokens()).isEqualTo(5);
    assertThat(share.getRefillPeriodNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
    var token = LocalBuckets.share(50, Duration.ofSeconds(1), 3);
    assertThat(token.getCapacity()).isEqualTo(16);
    var alone = LocalBuckets.share(5, Duration.ofSeconds(1), 1);
    assertThat(alone.getCapacity()).isEqualTo(5);
    assertThat(alone.getRefillPeriodNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void aBucketCountedFromEmptyHoldsWhatItsRateRefilledSinceUpToItsCapacity() {
    var base = LocalBuckets.share(5, Duration.ofSeconds(1), 1);
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    assertThat(LocalBuckets.refilledSince(base, 0, 0)).isZero();
    assertThat(LocalBuckets.refilledSince(base, 0, 199 * ms)).isZero();
    assertThat(LocalBuckets.refilledSince(base, 0, 200 * ms)).isEqualTo(1);
    assertThat(LocalBuckets.refilledSince(base, 0, 999 * ms)).isEqualTo(4);
    assertThat(LocalBuckets.refilledSince(base, 0, 1_000 * ms)).isEqualTo(5);
    assertThat(LocalBuckets.refilledSince(base, 0, 60_000 * ms)).isEqualTo(5);
    var third = LocalBuckets.share(5, Duration.ofSeconds(1), 3);   // burst 1, 5 per 3 s
    assertThat(LocalBuckets.refilledSince(third, 0, 599 * ms)).isZero();
    assertThat(LocalBuckets.refilledSince(third, 0, 600 * ms)).isEqualTo(1);
    assertThat(LocalBuckets.refilledSince(third, 0, 2_000 * ms)).isEqualTo(1);
  }

  @Test
  void aKeyDecidedInRedisGetsALocalBucketCountedFromEmptyAtThatDecisionOthersAFullOne() {
    LocalBuckets local = new LocalBuckets(LocalBuckets.share(5, Duration.ofSeconds(1), 1),
        LocalBuckets.share(50, Duration.ofSeconds(1), 1), Duration.ofSeconds(31));
    assertThat(local.base("appLocal000000001").getAvailableTokens()).as("never in Redis").isEqualTo(5);
    assertThat(local.token("token-0").getAvailableTokens()).isEqualTo(50);
    local.decidedInRedis("appLocal000000001", "token-1");
    assertThat(local.base("appLocal000000002").getAvailableTokens()).as("another base").isEqualTo(5);
    assertThat(local.token("token-1").getAvailableTokens()).as("from empty < 20 ms ago").isLessThan(50);
    assertThat(local.token("token-0").getAvailableTokens()).as("another token").isEqualTo(50);
  }

  @Test
  void theFirstRedisDecisionAfterAFallbackChargesTheRedisBucketsWhatTheLocalOnesGrantedAndDropsThem() {
    LocalBuckets local = new LocalBuckets(LocalBuckets.share(5, Duration.ofSeconds(1), 1),
        LocalBuckets.share(50, Duration.ofSeconds(1), 1), Duration.ofSeconds(31));
    // the buckets of the decision in Redis (an hour's refill: nothing comes back within the test), built
    // first, so that the local bucket's 200 ms to its next token are not spent building them
    Bucket redisBase = Bucket.builder().addLimit(Bandwidth.builder().capacity(5).refillGreedy(5, Duration.ofHours(1))
        .build()).build();
    Bucket redisToken = Bucket.builder().addLimit(Bandwidth.builder().capacity(50).refillGreedy(50, Duration.ofHours(1))
        .build()).build();
    assertThat(local.token("token-0").getAvailableTokens()).isEqualTo(50);
    assertThat(local.base("appLocal000000001").tryConsume(3)).isTrue();   // three calls during the outage
    local.handBack("appLocal000000001", "token-0", redisBase, redisToken);
    assertThat(redisBase.getAvailableTokens()).isEqualTo(2);
    assertThat(redisToken.getAvailableTokens()).as("the token's local bucket granted nothing").isEqualTo(50);
    assertThat(local.trackedKeys()).as("both dropped").isZero();
    local.handBack("appLocal000000001", "token-0", redisBase, redisToken);
    assertThat(redisBase.getAvailableTokens()).as("handed back once").isEqualTo(2);
    local.decidedInRedis("appLocal000000001", "token-0");
    assertThat(local.base("appLocal000000001").getAvailableTokens()).as("from empty at that decision").isZero();
  }

  @Test
  void aBucketFillsFromEmptyInOnePeriodOrLongerWhenItsBurstIsOneOfManyReplicas() {
    assertThat(LocalBuckets.fillNanos(LocalBuckets.share(5, Duration.ofSeconds(1), 1)))
        .isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(LocalBuckets.fillNanos(LocalBuckets.share(5, Duration.ofSeconds(1), 3)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
    assertThat(LocalBuckets.fillNanos(LocalBuckets.share(5, Duration.ofSeconds(1), 10)))
        .isEqualTo(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  @Timeout(60)
  void threeReplicasFallingBackTogetherStayWithinOneBaseBudget() throws Exception {
    ClientResources resources = ClientResources.create();
    RedisServer redis = RedisServer.startNew();
    redis.stop();   // a port where nothing answers: every replica starts in fallback
    List<AirtableRateLimiter> limiters = new ArrayList<>();
    List<MetricsCollector> collectors = new ArrayList<>();
    List<RedisClient> clients = new ArrayList<>();
    try {
      AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder().localShareOf(3)
          .probeBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).build();
      for (int i = 0; i < 3; i++) {
        RedisClient client = RedisProbe.failFast(RedisClient.create(resources, redis.uri()), Duration.ofMillis(500));
        clients.add(client);
        MetricsCollector collector = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
            .initialize();
        collectors.add(collector);
        limiters.add(new AirtableRateLimiter(client, collector, config));
      }
      assertThat(limiters).noneMatch(AirtableRateLimiter::distributed);
      // Each replica's share holds a burst of one: the first call of each passes, the next is refused at once.
      for (AirtableRateLimiter limiter : limiters) {
        assertThat(limiter.checkBaseLimit("appShare00000001").allowed()).isTrue();
      }
      List<double[]> grants = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(2_500);
      Thread[] threads = new Thread[3];
      int[] calls = new int[3];
      for (int i = 0; i < 3; i++) {
        AirtableRateLimiter limiter = limiters.get(i);
        int n = i;
        threads[i] = new Thread(() -> {
          while (System.nanoTime() - end < 0) {
            double asked = (System.nanoTime() - start) / 1e9;
            RateLimitDecision d = limiter.checkLimit("appShare00000002", "token-" + n);
            calls[n]++;
            if (d.allowed()) {
              grants.add(new double[] {asked, (System.nanoTime() - start) / 1e9});
            } else {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
          }
        });
        threads[i].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      // Three buckets of burst 1 refilled at 5/3 per second: at most 3 + 5·t in t seconds between them.
      assertThat(grants.size()).isLessThanOrEqualTo((int) Math.floor(3 + 5 * elapsed));
      assertThat(grants.size()).isGreaterThanOrEqualTo(3);
      int worst = 0;
      for (double w = 0; w + 1.0 <= elapsed; w += 0.05) {
        double f = w;
        worst = Math.max(worst, (int) new ArrayList<>(grants).stream()
            .filter(g -> g[0] >= f && g[1] < f + 1.0).count());
      }
      System.out.printf(Locale.ROOT, "local share: 3 replicas in fallback, %d grants in %.2f s"
          + " (bound %d), max %d in a 1 s window (bound 8)%n", grants.size(), elapsed,
          (int) Math.floor(3 + 5 * elapsed), worst);
      assertThat(worst).isLessThanOrEqualTo(5 + 3);
      double fallbacks = 0;
      for (MetricsCollector c : collectors) {
        fallbacks += Exposition.of(c).value(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name(), "mode", "fail_open");
      }
      assertThat(fallbacks).isEqualTo(3 + calls[0] + calls[1] + calls[2]);
    } finally {
      limiters.forEach(AirtableRateLimiter::close);
      clients.forEach(c -> c.shutdown(0, 2, TimeUnit.SECONDS));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      redis.close();
    }
  }
}
