package io.pyairtable.metrics.integrations.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;

/**
 * How {@link AirtableRateLimiter} charges a request to a base bucket and a token bucket (whether
 * they live in Redis or in this JVM), with the {@code airtable_rate_limit_remaining} gauges, and
 * how it puts a base bucket into debt after a 429.
 *
 * <pre>{@code
 * BucketCharges charges = new BucketCharges(collector, config);
 * RateLimitDecision d = charges.charge("appXXXXXXXXXXXXXX", baseBucket, tokenBucket, false);
 * charges.indebt(baseBucket, config.coolDown().toNanos());
 * }</pre>
 */
final class BucketCharges {

  private final MetricsCollector collector;
  private final AirtableRateLimiterConfig config;

  BucketCharges(MetricsCollector collector, AirtableRateLimiterConfig config) {
    this.collector = collector;
    this.config = config;
  }

  /**
   * One token of {@code base}, then one of {@code token}; a refusal of the token bucket gives the
   * base token back, so a refused request costs nothing. {@code label} is the base's {@code base_id}
   * in the remaining-tokens gauges.
   */
  RateLimitDecision charge(String label, Bucket base, Bucket token, boolean distributed) {
    ConsumptionProbe b = base.tryConsumeAndReturnRemaining(1);
    if (!b.isConsumed()) {
      long wait = b.getNanosToWaitForRefill();
      // A wait longer than one refill period can only come from a cool-down's debt (another instance saw a 429).
      String type = wait > config.basePeriod().toNanos() ? RateLimitDecision.UPSTREAM_429 : RateLimitDecision.BASE;
      collector.updateRateLimitRemaining(label, RateLimitDecision.BASE, 0);
      return RateLimitDecision.refused(type, Duration.ofNanos(wait), distributed);
    }
    ConsumptionProbe t = token.tryConsumeAndReturnRemaining(1);
    if (!t.isConsumed()) {
      base.addTokens(1);
      collector.updateRateLimitRemaining(label, RateLimitDecision.BASE, b.getRemainingTokens() + 1);
      collector.updateRateLimitRemaining(label, RateLimitDecision.TOKEN, 0);
      return RateLimitDecision.refused(RateLimitDecision.TOKEN, Duration.ofNanos(t.getNanosToWaitForRefill()),
          distributed);
    }
    collector.updateRateLimitRemaining(label, RateLimitDecision.BASE, b.getRemainingTokens());
    collector.updateRateLimitRemaining(label, RateLimitDecision.TOKEN, t.getRemainingTokens());
    return RateLimitDecision.granted(Math.min(b.getRemainingTokens(), t.getRemainingTokens()), distributed);
  }

  /** Puts a bucket into debt so that its next token comes only after {@code nanos}. */
  void indebt(Bucket bucket, long nanos) {
    EstimationProbe now = bucket.estimateAbilityToConsume(1);
    double perNano = (double) config.basePermits() / config.basePeriod().toNanos();
    long tokens;
    if (now.canBeConsumed()) {
      // Take what is left down to zero, then the refill of the whole cool-down (minus the token that ends it).
      tokens = now.getRemainingTokens() - 1 + (long) Math.ceil(nanos * perNano);
    } else {
      long missing = nanos - now.getNanosToWaitForRefill();
      if (missing <= 0) {
        return;
      }
      tokens = (long) Math.ceil(missing * perNano);
    }
    if (tokens > 0) {
      bucket.consumeIgnoringRateLimits(tokens);
    }
  }
}
