package io.pyairtable.metrics.integrations.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis should be used right now, shared by everything that talks to one Redis (the rate
 * limiter and the response cache), so that no request waits on a Redis that is known to be down.
 * After a failure it stays "down" and probes in the background with exponential backoff (never
 * one probe per request), and flips back "up" as soon as a probe succeeds. Deciding costs one
 * volatile read while Redis is up.
 *
 * <pre>{@code
 * RedisAvailability redis = RedisProbe.availability(client, Duration.ofMillis(250));   // PING probe
 * if (redis.useRedis()) {
 *   try { ... redis command ... } catch (RuntimeException e) { redis.markDown(e); ... fallback ... }
 * } else { ... fallback ... }
 * }</pre>
 */
public final class RedisAvailability implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisAvailability.class);

  /** Default wait before the first probe after a failure. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
  /** Default longest wait between two probes. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

  private final Supplier<CompletionStage<?>> probe;
  private final Runnable onClose;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean up;
  private volatile long backoffNanos;
  private volatile long nextProbeNanos;

  /**
   * @param probe a check that completes normally when Redis answers (PING, say)
   * @param initialBackoff wait before the first probe after a failure
   * @param maxBackoff longest wait between two probes (the backoff doubles up to it)
   * @param up whether Redis is believed reachable now
   */
  public RedisAvailability(Supplier<CompletionStage<?>> probe, Duration initialBackoff, Duration maxBackoff,
      boolean up) {
    this(probe, initialBackoff, maxBackoff, up, () -> { });
  }

  RedisAvailability(Supplier<CompletionStage<?>> probe, Duration initialBackoff, Duration maxBackoff, boolean up,
      Runnable onClose) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.onClose = onClose;
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.up = up;
    this.backoffNanos = initialBackoffNanos;
    this.nextProbeNanos = System.nanoTime();
  }

  /** True when Redis is believed reachable; when it is not, starts a probe if one is due. */
  public boolean useRedis() {
    if (up) {
      return true;
    }
    if (System.nanoTime() - nextProbeNanos >= 0 && probing.compareAndSet(false, true)) {
      startProbe();
    }
    return false;
  }

  /** True when Redis is believed reachable (starts no probe). */
  public boolean isUp() {
    return up;
  }

  /** A Redis call failed: stop using Redis and probe after the initial backoff. */
  public void markDown(Throwable cause) {
    if (up) {
      synchronized (this) {
        if (up) {
          up = false;
          backoffNanos = initialBackoffNanos;
          nextProbeNanos = System.nanoTime() + backoffNanos;
          LOG.warn("Redis unreachable, falling back until a probe answers: {}", cause.getClass().getSimpleName());
        }
      }
    }
  }

  /** Releases what the probe holds (its connection, for {@link RedisProbe#availability}). */
  @Override
  public void close() {
    onClose.run();
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
        LOG.info("Redis reachable again");
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
    LOG.debug("Redis probe failed: {}", failure.getClass().getSimpleName());
  }
}
