package io.pyairtable.metrics.spring.integrations;

import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Airtable rate limiter's Redis mode for Actuator's health: UP while its decisions are shared
 * in Redis, DOWN while it falls back to local buckets (with the fallback mode), so an instance
 * whose budget is no longer shared shows up. Named {@code airtableRateLimiter}.
 *
 * <pre>{@code
 * GET /actuator/health/airtableRateLimiter  ->  {"status":"UP","details":{"mode":"redis","redis":"cluster"}}
 * }</pre>
 */
public final class RateLimiterHealthIndicator implements HealthIndicator {

  private final AirtableRateLimiter limiter;
  private final String topology;

  public RateLimiterHealthIndicator(AirtableRateLimiter limiter) {
    this(limiter, null);
  }

  /** With the limiter's Redis topology ({@code single} or {@code cluster}) as the {@code redis} detail. */
  public RateLimiterHealthIndicator(AirtableRateLimiter limiter, String topology) {
    this.limiter = limiter;
    this.topology = topology;
  }

  @Override
  public Health health() {
    Health.Builder health = limiter.distributed() ? Health.up().withDetail("mode", "redis")
        : Health.down().withDetail("mode", "fallback").withDetail("fallback", limiter.config().fallbackMode().label());
    if (topology != null) {
      health.withDetail("redis", topology);
    }
    return health.build();
  }
}
