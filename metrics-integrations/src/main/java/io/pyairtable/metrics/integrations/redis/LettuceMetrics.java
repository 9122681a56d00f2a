package io.pyairtable.metrics.integrations.redis;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.MetricsCollector;
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

  /** New client resources with command metrics and connection counting ({@code pool_type="lettuce"}). */
  public static ClientResources clientResources(MetricsCollector collector) {
    ClientResources resources = instrument(ClientResources.builder(), collector).build();
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
