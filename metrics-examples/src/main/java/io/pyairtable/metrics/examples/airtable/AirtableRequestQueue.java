package io.pyairtable.metrics.examples.airtable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.RateLimitDecision;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The gateway's per-base request queue: every call to Airtable waits here for its turn, so the
 * gateway never sends more than the base's limit (5 per second) upstream; callers wait instead of
 * getting a 429. Requests of one base leave in arrival order (a fair lock); the head of the queue
 * asks the rate limiter for a permit and, when refused (a rate-limit hit, counted by the limiter),
 * waits as long as the limiter says. The queue also lets no more than {@code perSecond} calls of a
 * base hold a slot at once: a call holds its slot from the moment it is sent until {@code window}
 * after that, and never less than a second after Airtable's answer. The first part keeps any
 * sliding window of that length at {@code perSecond} calls, whatever the limiter's refill shape (a
 * greedy token bucket lets up to twice the rate through within one second) and whatever other
 * gateways share its Redis bucket. The second part holds however late a call reaches Airtable (a
 * cold connection, a pause of the JVM): Airtable receives each call before it answers it, so of
 * any {@code perSecond + 1} calls two reach Airtable at least a second apart.
 * These slots are counted per base whichever lane its calls waited in: the gateway keeps the bases
 * Airtable has not confirmed in one shared lane ({@link #submit(String, String, long, Supplier)}),
 * and a base confirmed while some of its calls still wait there is not sent twice its rate by the
 * two lanes together. Likewise the limiter is asked for the base's own bucket in either lane (the
 * lane is only its label), so a replica that has confirmed a base and one that has not yet share it.
 * The number of waiting requests is {@code airtable_request_queue_size{base_id}}: this queue is
 * the gauge's only writer in the gateway (the limiter holds no queue and does not write it); the
 * share of the per-second limit in use is {@code airtable_api_quota_usage{quota_type="per_second"}}.
 *
 * <p><b>Deadlines.</b> Each request carries its client's deadline: it leaves the queue, without
 * calling Airtable, as soon as its turn could not come before that deadline (or when the queue is
 * full, or when the gateway shuts down and its turn would not come before the shutdown's grace
 * deadline), and is answered 503 with {@code Retry-After}; each such drop counts in
 * {@code airtable_request_queue_dropped_total{reason}} ({@code deadline}, {@code queue_full},
 * {@code shutdown}). A base's lane is forgotten once idle for {@code idleEviction}, so random
 * base ids do not grow the gateway's memory.
 *
 * <pre>{@code
 * AirtableRateLimiter limiter = AirtableRateLimiter.inProcess(metrics, AirtableRateLimiterConfig.defaults());
 * AirtableRequestQueue queue = new AirtableRequestQueue(limiter, 5, Duration.ofMillis(1200), 200, metrics);
 * long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
 * AirtableResponse r = queue.submit("appAbCdEfGhIjKlMn", deadline, () -> client.send(call));
 * }</pre>
 */
public final class AirtableRequestQueue {

  /** A request left the queue without calling Airtable; the caller answers 503 with Retry-After. */
  public static class DroppedException extends RuntimeException {
    private final String reason;

    DroppedException(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    /** {@code deadline}, {@code queue_full} or {@code shutdown} (the {@code reason} label). */
    public String reason() {
      return reason;
    }
  }

  /** The queue of one base was full: the caller gets a 503 with Retry-After instead of waiting. */
  public static final class QueueFullException extends DroppedException {
    public QueueFullException(String baseId, int size) {
      super(QUEUE_FULL, "request queue of base " + baseId + " is full (" + size + " waiting)");
    }
  }

  /** Reasons of {@code airtable_request_queue_dropped_total}. */
  public static final String DEADLINE = "deadline";
  public static final String QUEUE_FULL = "queue_full";
  public static final String SHUTDOWN = "shutdown";
  /**
   * The most base ids whose slots are kept: clients can send any number of valid-looking ids, and
   * each unconfirmed one gets an entry. Evicting one loses little: a lane keeps its own slots, so an
   * evicted confirmed base is counted afresh beside them, and unconfirmed bases are bounded together
   * by the shared lane's slots.
   */
  static final int MAX_TRACKED_IDS = 10_000;
  /** Default time a lane of a base is kept after its last request. */
  public static final Duration DEFAULT_IDLE_EVICTION = Duration.ofMinutes(2);

  private final AirtableRateLimiter limiter;
  private final int perSecond;
  private final long windowNanos;
  private final int maxWaiting;
  private final MetricsCollector metrics;
  private final Cache<String, Lane> lanes;
  /**
   * The calls that may still hold a slot, by base id (whatever lane they waited in), and by the id
   * of the shared lane: a lane's own slots are the entry under its id, so a base in its own lane
   * keeps one set of slots.
   */
  private final Cache<String, ArrayDeque<Slot>> slotsById;
  private final Object wakeUp = new Object();
  private volatile boolean shuttingDown;
  private volatile long shutdownDeadline;

  /**
   * @param limiter the rate limiter (Redis-backed, or {@link AirtableRateLimiter#inProcess})
   * @param perSecond the most calls per base in any {@code window}
   * @param window the sliding window (1 s plus a margin for network jitter)
   * @param maxWaiting the most requests waiting per base before new ones are refused
   * @param metrics where the queue size and quota usage go
   */
  public AirtableRequestQueue(AirtableRateLimiter limiter, int perSecond, Duration window, int maxWaiting,
      MetricsCollector metrics) {
    this(limiter, perSecond, window, maxWaiting, DEFAULT_IDLE_EVICTION, metrics);
  }

  /** As above; a base's lane is dropped after {@code idleEviction} without requests. */
  public AirtableRequestQueue(AirtableRateLimiter limiter, int perSecond, Duration window, int maxWaiting,
      Duration idleEviction, MetricsCollector metrics) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1, was " + perSecond);
    }
    this.perSecond = perSecond;
    this.windowNanos = window.toNanos();
    this.maxWaiting = maxWaiting;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.lanes = Caffeine.newBuilder().expireAfterAccess(idleEviction).scheduler(Scheduler.systemScheduler()).build();
    this.slotsById = Caffeine.newBuilder().expireAfterAccess(idleEviction).maximumSize(MAX_TRACKED_IDS)
        .scheduler(Scheduler.systemScheduler()).build();
    metrics.airtableGateway().initRequestQueueDrops(DEADLINE, QUEUE_FULL, SHUTDOWN);
  }

  /**
   * Waits for the base's turn and a permit, then runs {@code call} (outside the queue, so calls
   * of one base may be in flight together while the next one waits).
   *
   * @param deadlineNanos the client's deadline, on {@link System#nanoTime()}'s clock
   * @throws QueueFullException when {@code maxWaiting} requests of the base are already waiting
   * @throws DroppedException when the turn could not come before the deadline, or the queue shuts down
   */
  public <T> T submit(String baseId, long deadlineNanos, Supplier<T> call) throws InterruptedException {
    return submit(baseId, baseId, deadlineNanos, call);
  }

  /**
   * As {@link #submit(String, long, Supplier)}, for a call to {@code baseId} that waits in the lane
   * {@code lane} (its id is also the label of the lane's queue size and quota usage, and of the
   * limiter's series): the gateway's one lane of the bases Airtable has not confirmed yet, or the
   * base's own. The call also takes one of the base's own {@code perSecond} slots, which its calls
   * share in every lane, and a permit of the base's own limiter bucket, which every replica shares
   * whichever lane it queues the base in.
   */
  public <T> T submit(String baseId, String lane, long deadlineNanos, Supplier<T> call)
      throws InterruptedException {
    if (shuttingDown && System.nanoTime() - shutdownDeadline >= 0) {
      throw drop(SHUTDOWN);
    }
    Lane queued = lanes.get(lane, Lane::new);
    int waiting = queued.waiting.incrementAndGet();
    if (waiting > maxWaiting) {
      queued.waiting.decrementAndGet();
      metrics.airtableGateway().recordRequestQueueDrop(QUEUE_FULL);
      throw new QueueFullException(lane, waiting - 1);
    }
    metrics.airtableGateway().updateRequestQueueSize(lane, waiting);
    ArrayDeque<Slot> ofBase = slotsOf(baseId);
    Slot slot;
    try {
      if (!queued.lock.tryLock(Math.max(0, deadline(deadlineNanos) - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw drop(reasonAt(deadlineNanos));
      }
      try {
        slot = queued.awaitTurn(deadlineNanos, baseId, ofBase);
      } finally {
        queued.lock.unlock();
      }
    } finally {
      metrics.airtableGateway().updateRequestQueueSize(lane, queued.waiting.decrementAndGet());
    }
    try {
      refreshQuota(queued);
      return call.get();
    } finally {
      slot.answeredAt = System.nanoTime(); // whatever happens, the slot is let go of a second from now
    }
  }

  /**
   * Starts shutting down: requests that arrive from now on, and waiting ones whose turn would not
   * come before {@code graceDeadlineNanos}, are dropped ({@code reason="shutdown"}) at once.
   */
  public void shutdown(long graceDeadlineNanos) {
    shutdownDeadline = graceDeadlineNanos;
    shuttingDown = true;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /** Requests of {@code baseId} waiting now. */
  public int waiting(String baseId) {
    Lane lane = lanes.getIfPresent(baseId);
    return lane == null ? 0 : lane.waiting.get();
  }

  /** Bases the queue keeps a lane for right now (idle ones are dropped). */
  public long lanes() {
    lanes.cleanUp();
    return lanes.estimatedSize();
  }

  /** Updates the per-second quota gauge of every base seen so far (call it periodically, so it decays when idle). */
  public void refreshQuotaGauges() {
    lanes.asMap().values().forEach(this::refreshQuota);
  }

  /** The slots held under {@code id} (a base id, or the shared lane's). */
  private ArrayDeque<Slot> slotsOf(String id) {
    return slotsById.get(id, k -> new ArrayDeque<>());
  }

  private void refreshQuota(Lane lane) {
    int recent = lane.sentWithin(TimeUnit.SECONDS.toNanos(1));
    metrics.airtableGateway().updateQuotaUsage(lane.id, "per_second", Math.min(100.0, 100.0 * recent / perSecond));
  }

  /** The request's deadline, or the shutdown's when that comes first. */
  private long deadline(long requestDeadline) {
    return shuttingDown && shutdownDeadline - requestDeadline < 0 ? shutdownDeadline : requestDeadline;
  }

  private String reasonAt(long requestDeadline) {
    return shuttingDown && shutdownDeadline - requestDeadline < 0 ? SHUTDOWN : DEADLINE;
  }

  /** Counts a drop of {@code reason} and returns the exception to answer it with. */
  DroppedException drop(String reason) {
    metrics.airtableGateway().recordRequestQueueDrop(reason);
    return new DroppedException(reason, switch (reason) {
      case SHUTDOWN -> "the gateway is shutting down";
      case DEADLINE -> "the request's deadline passed while it waited for an Airtable rate-limit slot";
      default -> "the request queue is full";
    });
  }

  /** Waits {@code nanos}, or less when {@link #shutdown} is called meanwhile. */
  private void pause(long nanos) throws InterruptedException {
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
    synchronized (wakeUp) {
      if (!shuttingDown) {
        wakeUp.wait(millis);
        return;
      }
    }
    TimeUnit.NANOSECONDS.sleep(nanos);
  }

  /** One call's hold on a base's rate: from its send until {@code window} later, and a second after its answer. */
  private static final class Slot {
    final long sentAt;
    /** When Airtable answered; {@link #IN_FLIGHT} until then (read by its lane's and its base's slots). */
    volatile long answeredAt = IN_FLIGHT;

    Slot(long sentAt) {
      this.sentAt = sentAt;
    }
  }

  private static final long IN_FLIGHT = Long.MIN_VALUE;
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final class Lane {
    /** A base id, or the gateway's shared lane of unconfirmed bases: the label of its series and the limiter's. */
    final String id;
    final ReentrantLock lock = new ReentrantLock(true);
    final AtomicInteger waiting = new AtomicInteger();
    /** The calls that may still hold a slot of this lane, in send order ({@link #slotsOf} its id); guarded by it. */
    final ArrayDeque<Slot> slots;

    Lane(String id) {
      this.id = id;
      this.slots = slotsOf(id);
    }

    /**
     * Called with the lock held: returns once this request may be sent, holding its slot of the
     * lane and of its base; drops the request as soon as its turn would come after its deadline.
     * The base's slots are checked and taken under their monitor, so the heads of two lanes cannot
     * both take the last one.
     */
    Slot awaitTurn(long requestDeadline, String baseId, ArrayDeque<Slot> ofBase) throws InterruptedException {
      while (true) {
        long wait;
        synchronized (ofBase) {
          wait = nextWait(baseId, ofBase);
          if (wait <= 0) {
            Slot slot = new Slot(System.nanoTime());
            ofBase.addLast(slot);
            if (slots != ofBase) {
              synchronized (slots) {
                slots.addLast(slot);
              }
            }
            return slot;
          }
        }
        if (System.nanoTime() + wait - deadline(requestDeadline) > 0) {
          throw drop(reasonAt(requestDeadline));
        }
        pause(wait);
      }
    }

    /**
     * 0 when a call may go now (a slot of the lane and one of the base were free, and a permit was
     * taken), else how long to wait before asking again.
     */
    private long nextWait(String baseId, ArrayDeque<Slot> ofBase) {
      long slotWait = slots == ofBase ? slotWaitNanos(slots)
          : Math.max(slotWaitNanos(slots), slotWaitNanos(ofBase));
      if (slotWait > 0) {
        return slotWait;
      }
      // the base's own bucket, whichever lane: replicas that call it by different lanes share it
      RateLimitDecision d = limiter.checkBaseLimit(baseId, id);
      return d.allowed() ? 0 : Math.max(d.retryAfter().toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * 0 when fewer than {@code perSecond} calls hold one of {@code held}, else the soonest one
     * could let go of its slot (a call still in flight holds it at least a second from now).
     */
    private long slotWaitNanos(ArrayDeque<Slot> held) {
      long now = System.nanoTime();
      synchronized (held) {
        held.removeIf(s -> s.answeredAt != IN_FLIGHT && releaseAt(s, now) - now <= 0);
        if (held.size() < perSecond) {
          return 0;
        }
        long soonest = Long.MAX_VALUE;
        for (Slot s : held) {
          soonest = Math.min(soonest, releaseAt(s, now) - now);
        }
        return soonest;
      }
    }

    /** When {@code s} lets go of its slot: an answer still to come is taken as coming {@code now}. */
    private long releaseAt(Slot s, long now) {
      long answered = s.answeredAt == IN_FLIGHT ? now : s.answeredAt;
      long afterWindow = s.sentAt + windowNanos;
      long afterAnswer = answered + SECOND;
      return afterWindow - afterAnswer > 0 ? afterWindow : afterAnswer;
    }

    int sentWithin(long nanos) {
      long since = System.nanoTime() - nanos;
      synchronized (slots) {
        return (int) slots.stream().filter(s -> s.sentAt - since > 0).count();
      }
    }
  }
}
