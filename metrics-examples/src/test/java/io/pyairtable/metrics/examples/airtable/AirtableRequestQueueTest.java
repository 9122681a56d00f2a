package io.pyairtable.metrics.examples.airtable;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_REQUEST_QUEUE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.airtable.AirtableRequestQueue.DroppedException;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request queue's size gauge, its deadlines, its shutdown and its bounded per-base state. */
class AirtableRequestQueueTest {

  private static final String BASE = "appQueueTest00001";
  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway")
      .jvmMetrics(false).initialize();
  private final AtomicInteger calls = new AtomicInteger();

  private AirtableRequestQueue queue(Duration period, Duration idle) {
    // the per-token limit is not what these tests are about (one of them sends to 5,000 bases)
    AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(1, period).perToken(10_000, Duration.ofSeconds(1)).build());
    return new AirtableRequestQueue(limiter, 1, period, 10, idle, metrics);
  }

  @Test
  @Timeout(30)
  void theQueueAloneWritesTheQueueSizeExactlyTheRequestsWaitingForTheirTurn() throws Exception {
    AirtableRequestQueue queue = queue(Duration.ofSeconds(20), AirtableRequestQueue.DEFAULT_IDLE_EVICTION);
    queue.submit(BASE, in(Duration.ofSeconds(30)), calls::incrementAndGet);
    assertThat(scrape().value(AIRTABLE_REQUEST_QUEUE_SIZE.name(), "base_id", BASE)).isEqualTo(0);
    int queued = 3;
    List<CompletableFuture<Integer>> waiting = new ArrayList<>();
    for (int i = 0; i < queued; i++) {
      waiting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return queue.submit(BASE, in(Duration.ofSeconds(30)), calls::incrementAndGet);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
      int n = i + 1;
      Conditions.await(Duration.ofSeconds(20), "the requests queued", () -> queue.waiting(BASE) == n);
    }
    // the head asked the limiter (refused: one base hit) and waits; the limiter writes no queue size
    Conditions.await(Duration.ofSeconds(20), "a base rate-limit hit",
        () -> !scrape().find(AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), "base_id", BASE).isEmpty());
    assertThat(scrape().value(AIRTABLE_REQUEST_QUEUE_SIZE.name(), "base_id", BASE)).isEqualTo(queued);

    queue.shutdown(System.nanoTime());
    for (CompletableFuture<Integer> w : waiting) {
      assertThatThrownBy(() -> w.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
    assertThat(scrape().value(AIRTABLE_REQUEST_QUEUE_SIZE.name(), "base_id", BASE)).isEqualTo(0);
    assertThat(calls).hasValue(1);
  }

  @Test
  @Timeout(30)
  void aRequestWhoseTurnWouldComeAfterItsDeadlineIsDroppedWithoutCallingAirtable() throws Exception {
    AirtableRequestQueue queue = queue(Duration.ofSeconds(5), AirtableRequestQueue.DEFAULT_IDLE_EVICTION);
    assertThat(queue.submit(BASE, in(Duration.ofSeconds(10)), calls::incrementAndGet)).isEqualTo(1);
    assertThatThrownBy(() -> queue.submit(BASE, in(Duration.ofMillis(500)), calls::incrementAndGet))
        .isInstanceOfSatisfying(DroppedException.class, e -> assertThat(e.reason()).isEqualTo("deadline"));
    assertThat(calls).hasValue(1);
    assertThat(queue.waiting(BASE)).isZero();
    Exposition e = scrape();
    assertThat(e.value(AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL.name(), "reason", "deadline")).isEqualTo(1);
    assertThat(e.value(AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL.name(), "reason", "queue_full")).isEqualTo(0);
    assertThat(e.value(AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL.name(), "reason", "shutdown")).isEqualTo(0);
  }

  @Test
  @Timeout(30)
  void shutdownDropsRequestsWhoseTurnWouldComeAfterTheGraceDeadlineAndLetsTheOthersGo() throws Exception {
    AirtableRequestQueue queue = queue(Duration.ofSeconds(20), AirtableRequestQueue.DEFAULT_IDLE_EVICTION);
    queue.submit(BASE, in(Duration.ofSeconds(30)), calls::incrementAndGet);
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.submit(BASE, in(Duration.ofSeconds(30)), calls::incrementAndGet);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Conditions.await(Duration.ofSeconds(20), "one request queued", () -> queue.waiting(BASE) == 1);

    queue.shutdown(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(DroppedException.class, e -> assertThat(e.reason()).isEqualTo("shutdown"));
    assertThatThrownBy(() -> queue.submit(BASE, in(Duration.ofSeconds(30)), calls::incrementAndGet))
        .isInstanceOfSatisfying(DroppedException.class, e -> assertThat(e.reason()).isEqualTo("shutdown"));
    // a request whose turn comes within the grace period still goes
    assertThat(queue.submit("appQueueTest00002", in(Duration.ofSeconds(30)), calls::incrementAndGet)).isEqualTo(2);
    assertThat(calls).hasValue(2);
    assertThat(scrape().value(AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL.name(), "reason", "shutdown")).isEqualTo(2);
  }

  @Test
  @Timeout(60)
  void fiveThousandRandomBaseIdsLeaveNoLaneBehindOnceIdle() throws Exception {
    AirtableRequestQueue queue = queue(Duration.ofMillis(200), Duration.ofMillis(500));
    Random random = new Random(9);
    for (int i = 0; i < 5_000; i++) {
      queue.submit(AirtableIdsTestData.randomBaseId(random), in(Duration.ofSeconds(5)), calls::incrementAndGet);
    }
    assertThat(calls).hasValue(5_000);
    assertThat(queue.lanes()).isGreaterThan(0);
    Conditions.await(Duration.ofSeconds(20), "every lane dropped", () -> queue.lanes() == 0);
  }

  @Test
  @Timeout(30)
  void callsThatReachAirtableLateStillLeaveASecondBetweenAnyCallAndTheFifthAfterIt() throws Exception {
    // The queue's defaults behind a limiter that lets a burst of 5 through (the gateway paces 1 per
    // 240 ms; the queue must hold whatever the shape). The first five calls reach Airtable 400 ms
    // after they leave the queue (a cold connection), the others at once.
    AirtableRequestQueue queue = burstQueue();
    List<Long> arrivals = new ArrayList<>();
    tenAtOnce(i -> queue.submit(BASE, in(Duration.ofSeconds(20)), () -> {
      int n = calls.incrementAndGet();
      long reached = System.nanoTime() + (n <= 5 ? TimeUnit.MILLISECONDS.toNanos(400) : 0);
      while (System.nanoTime() - reached < 0) {
        LockSupport.parkNanos(reached - System.nanoTime());
      }
      synchronized (arrivals) {
        arrivals.add(reached);
      }
      return n;
    }));
    assertASecondFromEachToTheFifthAfterIt(arrivals, "arrival");
  }

  @Test
  @Timeout(30)
  void aBaseConfirmedWhileSomeOfItsCallsWaitInTheSharedLaneIsNotSentTwiceItsRate() throws Exception {
    // The gateway queues the bases Airtable has not confirmed in one lane, "unknown", and a confirmed
    // base in its own: right after a start, one burst of a base's reads can wait in both. Both ask the
    // limiter for the base's bucket, here letting 5 through at once and refilling them in 1.2 s; the
    // base's own slots keep the two lanes' calls to 5 in any second.
    AirtableRequestQueue queue = burstQueue();
    List<Long> sends = new ArrayList<>();
    tenAtOnce(i -> queue.submit(BASE, i % 2 == 0 ? "unknown" : BASE, in(Duration.ofSeconds(20)), () -> {
      synchronized (sends) {
        sends.add(System.nanoTime());
      }
      return calls.incrementAndGet();
    }));
    assertASecondFromEachToTheFifthAfterIt(sends, "send");
  }

  @Test
  @Timeout(60)
  void aReplicaThatHasNotConfirmedABaseSharesItsRedisBucketWithOneThatHas() throws Exception {
    // Two gateway replicas on one Redis: one has seen Airtable answer the base and queues it in its own
    // lane, the other has not yet and queues it in "unknown". Both draw from the base's one bucket (5 at
    // once, then one every 200 ms), so of their 20 calls the k-th goes (k - 5) x 200 ms after the start
    // at the earliest, where a bucket per lane would let 10 go at once.
    try (RedisServer redis = RedisServer.startNew()) {
      List<RedisClient> clients = new ArrayList<>();
      List<AirtableRateLimiter> limiters = new ArrayList<>();
      List<AirtableRequestQueue> replicas = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          RedisClient client = RedisClient.create(redis.uri());
          clients.add(client);
          MetricsCollector replicaMetrics = Metrics.builder(Map.of()).serviceName("airtable-gateway")
              .jvmMetrics(false).initialize();
          AirtableRateLimiter limiter = new AirtableRateLimiter(client, replicaMetrics,
              AirtableRateLimiterConfig.defaults());
          assertThat(limiter.distributed()).isTrue();
          limiters.add(limiter);
          replicas.add(new AirtableRequestQueue(limiter, 5, Duration.ofMillis(1200), 20, replicaMetrics));
        }
        List<Long> sends = new ArrayList<>();
        long start = System.nanoTime();   // before the bucket is created by the first call
        allAtOnce(20, i -> replicas.get(i % 2).submit(BASE, i % 2 == 0 ? BASE : "unknown", in(Duration.ofSeconds(30)),
            () -> {
              synchronized (sends) {
                sends.add(System.nanoTime());
              }
              return calls.incrementAndGet();
            }));
        List<Long> sorted = sends.stream().sorted().toList();
        assertThat(sorted).hasSize(20);
        for (int k = 6; k <= 20; k++) {
          // the bucket refills on the clients' millisecond clock: a few ms of slack
          assertThat(sorted.get(k - 1) - start).as("send %d after the start", k)
              .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200L * (k - 5) - 20));
        }
      } finally {
        limiters.forEach(AirtableRateLimiter::close);
        clients.forEach(c -> c.shutdown(0, 2, TimeUnit.SECONDS));
      }
    }
  }

  /** The queue's defaults (5 per base, a 1.2 s window) behind a limiter that lets a burst of 5 through. */
  private AirtableRequestQueue burstQueue() {
    AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.builder()
        .perBase(5, Duration.ofMillis(1200)).perToken(10_000, Duration.ofSeconds(1)).build());
    return new AirtableRequestQueue(limiter, 5, Duration.ofMillis(1200), 20, metrics);
  }

  /** One queue call, the {@code index}-th of a burst. */
  @FunctionalInterface
  private interface Submit {
    int call(int index) throws InterruptedException;
  }

  /** Runs calls 0 to 9 on ten threads at once and waits for every one. */
  private static void tenAtOnce(Submit submit) throws Exception {
    allAtOnce(10, submit);
  }

  /** Runs calls 0 to {@code n - 1} on {@code n} threads at once and waits for every one (40 s at most). */
  private static void allAtOnce(int n, Submit submit) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        sent.add(CompletableFuture.supplyAsync(() -> {
          try {
            return submit.call(index);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }, clients));
      }
      for (CompletableFuture<Integer> f : sent) {
        f.get(40, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Ten calls' times: any call and the fifth after it are at least a second apart (at most 5 in any second). */
  private static void assertASecondFromEachToTheFifthAfterIt(List<Long> times, String what) {
    List<Long> sorted = times.stream().sorted().toList();
    assertThat(sorted).hasSize(10);
    for (int i = 0; i + 5 < sorted.size(); i++) {
      assertThat(sorted.get(i + 5) - sorted.get(i)).as("%s %d to %s %d", what, i + 1, what, i + 6)
          .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }
  }

  private static long in(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private Exposition scrape() {
    return Exposition.parse(metrics.exportMetrics());
  }
}
