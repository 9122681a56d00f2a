package io.pyairtable.metrics.examples.airtable;

import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The gateway's per-base request queue: every call to Airtable waits here for its turn, so the
 * gateway never sends more than the base's limit (5 per second) upstream; callers wait instead of
 * getting a 429. Requests of one base leave in arrival order (a fair lock); the head of the queue
 * asks the rate limiter for a permit and, when refused (a rate-limit hit, counted by the limiter),
 * waits as long as the limiter says. After the permit, the queue also keeps the send times of the
 * last {@code perSecond} calls per base and never lets a call go before the oldest of them is
 * {@code window} old, so no sliding window of that length ever sees more than {@code perSecond}
 * calls, whatever the limiter's refill shape (a greedy token bucket lets up to twice the rate
 * through within one second) and whatever other gateways share its Redis bucket.
 * The number of waiting requests is {@code airtable_request_queue_size{base_id}}; the share of the
 * per-second limit in use is {@code airtable_api_quota_usage{quota_type="per_second"}}.
 *
 * <pre>{@code
 * AirtableRequestQueue queue = new AirtableRequestQueue(AirtableRateLimit.inProcess(5, Duration.ofMillis(1200), Duration.ofSeconds(30), metrics), 5, Duration.ofMillis(1200), 200, metrics);
 * AirtableResponse r = queue.submit("appAbCdEfGhIjKlMn", () -> client.send(call));
 * }</pre>
 */
public final class AirtableRequestQueue {

  /** The queue of one base was full: the caller gets a 503 with Retry-After instead of waiting. */
  public static final class QueueFullException extends RuntimeException {
    public QueueFullException(String baseId, int size) {
      super("request queue of base " + baseId + " is full (" + size + " waiting)");
    }
  }

  private final AirtableRateLimit gate;
  private final int perSecond;
  private final long windowNanos;
  private final int maxWaiting;
  private final MetricsCollector metrics;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param gate the rate limiter
   * @param perSecond the most calls per base in any {@code window}
   * @param window the sliding window (1 s plus a margin for network jitter)
   * @param maxWaiting the most requests waiting per base before new ones are refused
   * @param metrics where the queue size and quota usage go
   */
  public AirtableRequestQueue(AirtableRateLimit gate, int perSecond, Duration window, int maxWaiting,
      MetricsCollector metrics) {
    this.gate = Objects.requireNonNull(gate, "gate");
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1, was " + perSecond);
    }
    this.perSecond = perSecond;
    this.windowNanos = window.toNanos();
    this.maxWaiting = maxWaiting;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Waits for the base's turn and a permit, then runs {@code call} (outside the queue, so calls
   * of one base may be in flight together while the next one waits).
   *
   * @throws QueueFullException when {@code maxWaiting} requests of the base are already waiting
   */
  public <T> T submit(String baseId, Supplier<T> call) throws InterruptedException {
    Lane lane = lanes.computeIfAbsent(baseId, Lane::new);
    int waiting = lane.waiting.incrementAndGet();
    if (waiting > maxWaiting) {
      lane.waiting.decrementAndGet();
      throw new QueueFullException(baseId, waiting - 1);
    }
    metrics.airtableGateway().updateRequestQueueSize(baseId, waiting);
    lane.lock.lockInterruptibly();
    try {
      lane.awaitTurn();
    } finally {
      metrics.airtableGateway().updateRequestQueueSize(baseId, lane.waiting.decrementAndGet());
      lane.lock.unlock();
    }
    refreshQuota(lane);
    return call.get();
  }

  /** Requests of {@code baseId} waiting now. */
  public int waiting(String baseId) {
    Lane lane = lanes.get(baseId);
    return lane == null ? 0 : lane.waiting.get();
  }

  /** Updates the per-second quota gauge of every base seen so far (call it periodically, so it decays when idle). */
  public void refreshQuotaGauges() {
    lanes.values().forEach(this::refreshQuota);
  }

  private void refreshQuota(Lane lane) {
    int recent = lane.sentWithin(TimeUnit.SECONDS.toNanos(1));
    metrics.airtableGateway().updateQuotaUsage(lane.baseId, "per_second", Math.min(100.0, 100.0 * recent / perSecond));
  }

  private final class Lane {
    final String baseId;
    final ReentrantLock lock = new ReentrantLock(true);
    final AtomicInteger waiting = new AtomicInteger();
    /** Send times (System.nanoTime) of the last perSecond calls; guarded by itself. */
    final ArrayDeque<Long> sent = new ArrayDeque<>();

    Lane(String baseId) {
      this.baseId = baseId;
    }

    /** Called with the lock held: returns once this request may be sent, and records its send time. */
    void awaitTurn() throws InterruptedException {
      long limiterWait;
      while ((limiterWait = gate.tryAcquire(baseId)) > 0) {
        TimeUnit.NANOSECONDS.sleep(limiterWait);
      }
      long windowWait;
      while ((windowWait = windowWaitNanos()) > 0) {
        TimeUnit.NANOSECONDS.sleep(windowWait);
      }
      synchronized (sent) {
        sent.addLast(System.nanoTime());
        while (sent.size() > perSecond) {
          sent.removeFirst();
        }
      }
    }

    private long windowWaitNanos() {
      synchronized (sent) {
        if (sent.size() < perSecond) {
          return 0;
        }
        return sent.peekFirst() + windowNanos - System.nanoTime();
      }
    }

    int sentWithin(long nanos) {
      long since = System.nanoTime() - nanos;
      synchronized (sent) {
        return (int) sent.stream().filter(t -> t - since > 0).count();
      }
    }
  }
}
