package io.pyairtable.metrics.integrations.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import java.time.Duration;

/**
 * The bases this limiter refuses after Airtable answered one of their calls 429, each until its
 * cool-down ends. The map is read only while some cool-down can still be running, so a limiter
 * that never saw a 429 pays one volatile read per decision.
 *
 * <pre>{@code
 * CoolDowns coolDowns = new CoolDowns(Duration.ofSeconds(30));
 * coolDowns.start("appXXXXXXXXXXXXXX");
 * long left = coolDowns.remainingNanos("appXXXXXXXXXXXXXX");   // > 0 for the next 30 s
 * }</pre>
 */
final class CoolDowns {

  private final long coolDownNanos;
  private final Cache<String, Long> until;
  /** True once a cool-down was set; then {@link #latestEnd} is when the latest of them ends. */
  private volatile boolean set;
  private volatile long latestEnd;

  CoolDowns(Duration coolDown) {
    this.coolDownNanos = coolDown.toNanos();
    this.until = Caffeine.newBuilder().expireAfterWrite(coolDown).scheduler(Scheduler.systemScheduler()).build();
  }

  /** Starts a cool-down of {@code baseId} now. */
  void start(String baseId) {
    long end = System.nanoTime() + coolDownNanos;
    noteEnd(end);
    until.put(baseId, end);
  }

  /** How long {@code baseId}'s cool-down still runs, 0 when it has none. */
  long remainingNanos(String baseId) {
    if (!set) {
      return 0;
    }
    long now = System.nanoTime();
    if (latestEnd - now <= 0) {
      return 0;
    }
    Long end = until.getIfPresent(baseId);
    if (end == null) {
      return 0;
    }
    if (end - now > 0) {
      return end - now;
    }
    until.asMap().remove(baseId, end);
    return 0;
  }

  /** Bases in a cool-down right now (after dropping ended ones). */
  long size() {
    return LocalBuckets.sizeAfterCleanUp(until);
  }

  private synchronized void noteEnd(long end) {
    if (!set || end - latestEnd > 0) {
      latestEnd = end;
    }
    set = true;
  }
}
