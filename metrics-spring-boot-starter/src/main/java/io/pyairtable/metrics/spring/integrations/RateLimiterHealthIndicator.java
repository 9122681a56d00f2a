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
 * GET /actuator/health/airtableRateLimiter  ->  {"status":"UP","details":{"mode":"redis"}}
 * }</pre>
 */
public final class RateLimiterHealthIndicator implements HealthIndicator {

  private final AirtableRateLimiter limiter;

  public RateLimiterHealthIndicator(AirtableRateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public Health health() {
    if (limiter.distributed()) {
      return Health.up().withDetail("mode", "redis").build();
    }
    return Health.down().withDetail("mode", "fallback")
        .withDetail("fallback", limiter.config().fallbackMode().label()).build();
  }
}
