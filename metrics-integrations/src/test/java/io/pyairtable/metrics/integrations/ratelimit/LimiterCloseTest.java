package io.pyairtable.metrics.integrations.ratelimit;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Exposition;
import io.pyairtable.metrics.integrations.testing.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing the limiter ends every queued wait at once with a refusal the caller answers 503. */
class LimiterCloseTest {

  private static final String BASE = "appLimiterClose01";

  @Test
  @Timeout(60)
  void closeEndsQueuedWaitsAtOnceWithAnUnavailableRefusal() throws Exception {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").jvmMetrics(false)
        .initialize();
    try (RedisServer redis = RedisServer.startNew()) {
      RedisClient client = RedisClient.create(redis.uri());
      try {
        AirtableRateLimiter limiter = new AirtableRateLimiter(client, metrics, AirtableRateLimiterConfig.builder()
            .perBase(1, Duration.ofMinutes(1)).build());
        assertThat(limiter.acquire(BASE, Duration.ZERO).allowed()).isTrue();
        CompletableFuture<RateLimitDecision> waiting = CompletableFuture.supplyAsync(() -> {
          try {
            return limiter.acquire(BASE, Duration.ofMinutes(2));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // it waits once its first check was refused (one base hit)
        while (Exposition.of(metrics).find(AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), "base_id", BASE, "limit_type", "base")
            .orElse(0) < 1 && System.nanoTime() - deadline < 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        limiter.close();
        RateLimitDecision d = waiting.get(10, TimeUnit.SECONDS);   // not the minute the bucket needs
        assertThat(d.allowed()).isFalse();
        assertThat(d.limitType()).isEqualTo(RateLimitDecision.UNAVAILABLE);
      } finally {
        client.shutdown();
      }
    }
  }
}
