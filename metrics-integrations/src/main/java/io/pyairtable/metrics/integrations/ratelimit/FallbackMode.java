package io.pyairtable.metrics.integrations.ratelimit;

/**
 * What the {@link AirtableRateLimiter} does while Redis is unreachable. Every decision taken
 * without Redis is counted in {@code airtable_rate_limiter_fallback_total{mode}}.
 *
 * <pre>{@code
 * AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
 *     .fallbackMode(FallbackMode.FAIL_CLOSED)
 *     .build();
 * }</pre>
 */
public enum FallbackMode {
  /** Decide with in-process Bucket4j buckets of the same limits (each instance limits itself). */
  FAIL_OPEN("fail_open"),
  /** Refuse every request until Redis answers again. */
  FAIL_CLOSED("fail_closed");

  private final String label;

  FallbackMode(String label) {
    this.label = label;
  }

  /** The value of the {@code mode} label. */
  public String label() {
    return label;
  }
}
