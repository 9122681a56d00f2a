package io.pyairtable.metrics.integrations.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the limiter should talk to Redis. After a failure it stays "down" and probes in the
 * background with exponential backoff (never one probe per request), and flips back "up" when a
 * probe succeeds.
 *
 * <pre>{@code
 * RedisAvailability redis = new RedisAvailability(probe, Duration.ofMillis(250), Duration.ofSeconds(5));
 * if (redis.useRedis()) { ... } else { ... local fallback ... }
 * }</pre>
 */
final class RedisAvailability {

  private static final Logger LOG = LoggerFactory.getLogger(RedisAvailability.class);

  private final Supplier<CompletionStage<?>> probe;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean up;
  private volatile long backoffNanos;
  private volatile long nextProbeNanos;

  RedisAvailability(Supplier<CompletionStage<?>> probe, Duration initialBackoff, Duration maxBackoff, boolean up) {
    this.probe = probe;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.up = up;
    this.backoffNanos = initialBackoffNanos;
    this.nextProbeNanos = System.nanoTime();
  }

  /** True when Redis is believed reachable; when it is not, starts a probe if one is due. */
  boolean useRedis() {
    if (up) {
      return true;
    }
    if (System.nanoTime() - nextProbeNanos >= 0 && probing.compareAndSet(false, true)) {
      startProbe();
    }
    return false;
  }

  boolean isUp() {
    return up;
  }

  /** A Redis call failed: stop using Redis and probe after the initial backoff. */
  void markDown(Throwable cause) {
    if (up) {
      synchronized (this) {
        if (up) {
          up = false;
          backoffNanos = initialBackoffNanos;
          nextProbeNanos = System.nanoTime() + backoffNanos;
          LOG.warn("Redis unreachable, rate limiter falls back to in-process buckets: {}", cause.toString());
        }
      }
    }
  }

  private void startProbe() {
    CompletionStage<?> stage;
    try {
      stage = probe.get();
    } catch (RuntimeException e) {
      probeFailed(e);
      return;
    }
    stage.whenComplete((ok, failure) -> {
      if (failure == null) {
        synchronized (this) {
          up = true;
          backoffNanos = initialBackoffNanos;
        }
        probing.set(false);
        LOG.info("Redis reachable again, rate limiter is distributed again");
      } else {
        probeFailed(failure);
      }
    });
  }

  private void probeFailed(Throwable failure) {
    synchronized (this) {
      nextProbeNanos = System.nanoTime() + backoffNanos;
      backoffNanos = Math.min(backoffNanos * 2, maxBackoffNanos);
    }
    probing.set(false);
    LOG.debug("Redis probe failed: {}", failure.toString());
  }
}
