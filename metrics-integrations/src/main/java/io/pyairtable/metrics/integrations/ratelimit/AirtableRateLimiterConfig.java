package io.pyairtable.metrics.integrations.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link AirtableRateLimiter}. The defaults are Airtable's documented limits:
 * 5 requests/second per base, 50 requests/second per personal access token, a 30-second wait
 * after a 429.
 *
 * <pre>{@code
 * AirtableRateLimiterConfig config = AirtableRateLimiterConfig.builder()
 *     .tokenId("gateway-token")                // an identifier, never the secret itself
 *     .perBase(5, Duration.ofSeconds(1))
 *     .perToken(50, Duration.ofSeconds(1))
 *     .fallbackMode(FallbackMode.FAIL_OPEN)
 *     .localShareOf(3)                         // three gateway replicas: 1/3 each while Redis is down
 *     .build();
 * }</pre>
 */
public final class AirtableRateLimiterConfig {

  private final long basePermits;
  private final Duration basePeriod;
  private final long tokenPermits;
  private final Duration tokenPeriod;
  private final String tokenId;
  private final Duration coolDown;
  private final FallbackMode fallbackMode;
  private final Duration redisTimeout;
  private final Duration probeInitialBackoff;
  private final Duration probeMaxBackoff;
  private final String keyPrefix;
  private final int replicas;

  private AirtableRateLimiterConfig(Builder b) {
    this.basePermits = b.basePermits;
    this.basePeriod = b.basePeriod;
    this.tokenPermits = b.tokenPermits;
    this.tokenPeriod = b.tokenPeriod;
    this.tokenId = b.tokenId;
    this.coolDown = b.coolDown;
    this.fallbackMode = b.fallbackMode;
    this.redisTimeout = b.redisTimeout;
    this.probeInitialBackoff = b.probeInitialBackoff;
    this.probeMaxBackoff = b.probeMaxBackoff;
    this.keyPrefix = b.keyPrefix;
    this.replicas = b.replicas;
  }

  /** Airtable's limits and the defaults below. */
  public static AirtableRateLimiterConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Requests per {@link #basePeriod()} for one base (default 5). */
  public long basePermits() {
    return basePermits;
  }

  public Duration basePeriod() {
    return basePeriod;
  }

  /** Requests per {@link #tokenPeriod()} for the access token (default 50). */
  public long tokenPermits() {
    return tokenPermits;
  }

  public Duration tokenPeriod() {
    return tokenPeriod;
  }

  /** The identifier of the access token whose limit {@code checkBaseLimit} charges (default {@code default}). */
  public String tokenId() {
    return tokenId;
  }

  /** How long a base waits after Airtable answered 429 (default 30 s). */
  public Duration coolDown() {
    return coolDown;
  }

  /** What to do while Redis is unreachable (default {@link FallbackMode#FAIL_OPEN}). */
  public FallbackMode fallbackMode() {
    return fallbackMode;
  }

  /** How long one Redis round trip may take before the limiter falls back (default 250 ms). */
  public Duration redisTimeout() {
    return redisTimeout;
  }

  /** First wait before probing Redis again after it failed (default 250 ms, doubled per failed probe). */
  public Duration probeInitialBackoff() {
    return probeInitialBackoff;
  }

  /** Longest wait between two probes of an unreachable Redis (default 5 s). */
  public Duration probeMaxBackoff() {
    return probeMaxBackoff;
  }

  /** Prefix of the Redis keys of the buckets (default {@code pyairtable:ratelimit:}). */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * How many gateway replicas share the limits (default 1): while falling back to in-process
   * buckets, each replica takes {@code 1/replicas} of each limit.
   */
  public int replicas() {
    return replicas;
  }

  /** Builder; every setter validates its argument. */
  public static final class Builder {
    private long basePermits = 5;
    private Duration basePeriod = Duration.ofSeconds(1);
    private long tokenPermits = 50;
    private Duration tokenPeriod = Duration.ofSeconds(1);
    private String tokenId = "default";
    private Duration coolDown = Duration.ofSeconds(30);
    private FallbackMode fallbackMode = FallbackMode.FAIL_OPEN;
    private Duration redisTimeout = Duration.ofMillis(250);
    private Duration probeInitialBackoff = Duration.ofMillis(250);
    private Duration probeMaxBackoff = Duration.ofSeconds(5);
    private String keyPrefix = "pyairtable:ratelimit:";
    private int replicas = 1;

    private Builder() {}

    /**
     * This limiter is one of {@code replicas} gateway replicas (say {@code RATE_LIMIT_REPLICAS}):
     * its fallback buckets hold its share of the global budget, {@code permits/replicas} per period.
     */
    public Builder localShareOf(int replicas) {
      this.replicas = (int) positive(replicas, "replicas");
      return this;
    }

    public Builder perBase(long permits, Duration period) {
      this.basePermits = positive(permits, "base permits");
      this.basePeriod = positive(period, "base period");
      return this;
    }

    public Builder perToken(long permits, Duration period) {
      this.tokenPermits = positive(permits, "token permits");
      this.tokenPeriod = positive(period, "token period");
      return this;
    }

    public Builder tokenId(String id) {
      this.tokenId = Objects.requireNonNull(id, "tokenId");
      return this;
    }

    public Builder coolDown(Duration duration) {
      this.coolDown = positive(duration, "cool-down");
      return this;
    }

    public Builder fallbackMode(FallbackMode mode) {
      this.fallbackMode = Objects.requireNonNull(mode, "fallbackMode");
      return this;
    }

    public Builder redisTimeout(Duration timeout) {
      this.redisTimeout = positive(timeout, "Redis timeout");
      return this;
    }

    public Builder probeBackoff(Duration initial, Duration max) {
      this.probeInitialBackoff = positive(initial, "initial probe backoff");
      this.probeMaxBackoff = positive(max, "max probe backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max probe backoff " + max + " is shorter than the initial " + initial);
      }
      return this;
    }

    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "keyPrefix");
      return this;
    }

    public AirtableRateLimiterConfig build() {
      return new AirtableRateLimiterConfig(this);
    }

    private static long positive(long value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }

    private static Duration positive(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
