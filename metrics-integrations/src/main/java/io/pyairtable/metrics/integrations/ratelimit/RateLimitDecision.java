package io.pyairtable.metrics.integrations.ratelimit;

import java.time.Duration;

/**
 * The answer of {@link AirtableRateLimiter#checkBaseLimit}: whether the request may go now, how
 * many requests are left right after it, and when to retry if not.
 *
 * <pre>{@code
 * RateLimitDecision d = limiter.checkBaseLimit("appXXXXXXXXXXXXXX");
 * if (!d.allowed()) {
 *   ctx.header("Retry-After", String.valueOf(d.retryAfter().toSeconds() + 1)).status(429);
 * }
 * }</pre>
 *
 * @param allowed whether one request was granted (and charged)
 * @param remaining requests left in the tighter of the base and token limits (0 when refused)
 * @param retryAfter how long to wait before asking again; {@link Duration#ZERO} when allowed
 * @param limitType which limit refused: {@code base}, {@code token} or {@code upstream_429}; null when allowed
 * @param distributed false when the decision was taken without Redis (fallback)
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter, String limitType,
    boolean distributed) {

  /** The limit type of the per-base limit (5 requests/second). */
  public static final String BASE = "base";
  /** The limit type of the per-token limit (50 requests/second). */
  public static final String TOKEN = "token";
  /** The limit type of a cool-down after Airtable answered 429. */
  public static final String UPSTREAM_429 = "upstream_429";
  /** The limit type of a refusal because Redis is unreachable and the limiter fails closed. */
  public static final String UNAVAILABLE = "unavailable";

  static RateLimitDecision granted(long remaining, boolean distributed) {
    return new RateLimitDecision(true, remaining, Duration.ZERO, null, distributed);
  }

  static RateLimitDecision refused(String limitType, Duration retryAfter, boolean distributed) {
    return new RateLimitDecision(false, 0, retryAfter, limitType, distributed);
  }
}
