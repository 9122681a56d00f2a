package io.pyairtable.metrics.integrations.ratelimit;

/**
 * What {@link AirtableRateLimiter#onUpstreamResponse} made of an Airtable response.
 *
 * <pre>{@code
 * UpstreamOutcome outcome = limiter.onUpstreamResponse(baseId, response.statusCode(), errorType);
 * if (outcome == UpstreamOutcome.QUOTA_EXCEEDED) {
 *   throw new QuotaExceededException(baseId);   // never retried
 * }
 * }</pre>
 */
public enum UpstreamOutcome {
  /** Not a rate-limit answer; nothing changed. */
  OK,
  /** A 429: the base is in its cool-down (30 s by default); retry after it. */
  COOL_DOWN,
  /** A 429 of type {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED}: the monthly quota is used up; do not retry. */
  QUOTA_EXCEEDED;

  /** True when the request may be retried later. */
  public boolean retryable() {
    return this != QUOTA_EXCEEDED;
  }
}
