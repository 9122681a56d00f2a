package io.pyairtable.metrics.integrations.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Limiters on real redis-servers for the limiter's tests, each on a Lettuce client of its own (as
 * separate service instances are) and closed with it by {@link #closeAll()}; the clients share one
 * set of resources that reconnects every 100 ms.
 *
 * <pre>{@code
 * static Limiters limiters = new Limiters();                    // @BeforeAll; close() in @AfterAll
 * AirtableRateLimiter limiter = limiters.on(redis, Limiters.collector(), AirtableRateLimiterConfig.defaults());
 * limiters.closeAll();                                          // @AfterEach
 * }</pre>
 */
final class Limiters implements AutoCloseable {

  private final ClientResources resources =
      ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** A limiter recording into {@code collector}, deciding in {@code server}. */
  AirtableRateLimiter on(RedisServer server, MetricsCollector collector, AirtableRateLimiterConfig config) {
    return create(RedisClient.create(resources, server.uri()), collector, config);
  }

  /**
   * A limiter whose client rejects commands at once while disconnected (so the switch to the
   * local buckets comes right after a kill, not after the command timeout).
   */
  AirtableRateLimiter failingFastOn(RedisServer server, MetricsCollector collector, AirtableRateLimiterConfig config) {
    return create(RedisProbe.failFast(RedisClient.create(resources, server.uri()), Duration.ofMillis(500)),
        collector, config);
  }

  private AirtableRateLimiter create(RedisClient client, MetricsCollector collector, AirtableRateLimiterConfig config) {
    open.add(() -> client.shutdown(0, 2, TimeUnit.SECONDS));
    AirtableRateLimiter limiter = AirtableRateLimiter.createMetricsEnabledAirtableLimiter(client, collector, config);
    open.add(0, limiter); // the limiter closes before its client
    return limiter;
  }

  /** Closes every limiter made so far, then its client; all of them, even when one fails (that failure is thrown). */
  void closeAll() throws Exception {
    Exception first = null;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      closeAll();
    } finally {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** A collector of an Airtable gateway, without JVM metrics. */
  static MetricsCollector collector() {
    return Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false).initialize();
  }

  /** A base id no other test uses (so its buckets start full). */
  static String uniqueBase() {
    return "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }
}
