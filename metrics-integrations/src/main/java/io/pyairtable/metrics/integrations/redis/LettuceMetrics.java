package io.pyairtable.metrics.integrations.redis;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;

/**
 * One-line set-up of Redis metrics for Lettuce: client resources whose commands are counted and
 * timed ({@link LettuceCommandMetrics}) and whose open connections show in
 * {@code redis_connection_pool_size{pool_type}} (from Lettuce's connection events).
 *
 * <pre>{@code
 * ClientResources resources = LettuceMetrics.clientResources(metrics);
 * RedisClient redis = RedisClient.create(resources, "redis://localhost:6379");
 * ...
 * redis.shutdown();
 * resources.shutdown();
 * }</pre>
 */
public final class LettuceMetrics {

  /** The {@code pool_type} label {@link #clientResources(MetricsCollector)} uses. */
  public static final String DEFAULT_POOL_TYPE = "lettuce";

  private LettuceMetrics() {}

  /** Longest wait between two reconnect attempts of {@link #clientResources(MetricsCollector)}'s connections. */
  public static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /**
   * New client resources with command metrics and connection counting ({@code pool_type="lettuce"}).
   * Reconnect attempts back off from 50 ms to at most {@link #MAX_RECONNECT_DELAY} (Lettuce's own
   * default grows to 30 s), so a Redis that comes back is used again within about a second.
   */
  public static ClientResources clientResources(MetricsCollector collector) {
    ClientResources resources = instrument(ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS)),
        collector).build();
    trackConnections(resources, collector, DEFAULT_POOL_TYPE);
    return resources;
  }

  /** Adds command metrics to a client-resources builder of your own (replacing its tracing). */
  public static ClientResources.Builder instrument(ClientResources.Builder builder, MetricsCollector collector) {
    return builder.tracing(new LettuceCommandMetrics(collector));
  }

  /**
   * Counts the connections of {@code resources} that are active (connected and initialised) in
   * {@code redis_connection_pool_size{pool_type}}. Dispose the result to stop.
   */
  public static Disposable trackConnections(ClientResources resources, MetricsCollector collector, String poolType) {
    AtomicInteger open = new AtomicInteger();
    collector.infrastructure().updateRedisPoolSize(poolType, 0);
    return resources.eventBus().get().subscribe(event -> {
      try {
        if (event instanceof ConnectionActivatedEvent) {
          collector.infrastructure().updateRedisPoolSize(poolType, open.incrementAndGet());
        } else if (event instanceof ConnectionDeactivatedEvent) {
          collector.infrastructure().updateRedisPoolSize(poolType, open.updateAndGet(v -> Math.max(0, v - 1)));
        }
      } catch (RuntimeException e) {
        collector.containFailure("redis_connection_event", e);
      }
    });
  }
}
