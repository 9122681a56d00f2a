package io.pyairtable.metrics.http.jetty;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how slowly a client may hold a Jetty connection, and how long a stop waits for
 * requests in flight. Applied by {@link JettyHardening} to every server the turnkey service starts.
 *
 * <ul>
 *   <li>{@code idleTimeout} (30 s): a connection that sends or reads nothing for this long is closed.</li>
 *   <li>{@code minRequestDataRate} (256 B/s): a request body arriving slower than this, averaged
 *       from the end of its headers (checked after the first second), is answered 408 and closed.</li>
 *   <li>{@code minResponseDataRate} (256 B/s): a client reading the response slower than this is dropped.</li>
 *   <li>{@code maxBufferedBody} (1 MiB): request bodies up to this size are read without holding a
 *       thread before the handler runs, so slow uploads cannot take the thread pool; larger bodies
 *       are streamed to the handler (still bounded by the rates above).</li>
 *   <li>{@code maxRequestBody} (16 MiB): a larger body is answered 413 by Jetty before routing.</li>
 *   <li>{@code shutdownGrace} (10 s): how long a stop lets in-flight requests finish.</li>
 * </ul>
 *
 * <pre>{@code
 * ServerLimits limits = ServerLimits.builder().idleTimeout(Duration.ofSeconds(20))
 *     .minRequestDataRate(1024).shutdownGrace(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class ServerLimits {

  private static final ServerLimits DEFAULTS = builder().build();

  private final Duration idleTimeout;
  private final long minRequestDataRate;
  private final long minResponseDataRate;
  private final long maxBufferedBody;
  private final long maxRequestBody;
  private final Duration shutdownGrace;

  private ServerLimits(Builder b) {
    this.idleTimeout = b.idleTimeout;
    this.minRequestDataRate = b.minRequestDataRate;
    this.minResponseDataRate = b.minResponseDataRate;
    this.maxBufferedBody = b.maxBufferedBody;
    this.maxRequestBody = b.maxRequestBody;
    this.shutdownGrace = b.shutdownGrace;
  }

  /** The defaults listed above. */
  public static ServerLimits defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().idleTimeout(idleTimeout).minRequestDataRate(minRequestDataRate)
        .minResponseDataRate(minResponseDataRate).maxBufferedBody(maxBufferedBody).maxRequestBody(maxRequestBody).shutdownGrace(shutdownGrace);
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Bytes per second; 0 turns the check off. */
  public long minRequestDataRate() {
    return minRequestDataRate;
  }

  /** Bytes per second; 0 turns the check off. */
  public long minResponseDataRate() {
    return minResponseDataRate;
  }

  /** Bytes; 0 turns eager body reading off. */
  public long maxBufferedBody() {
    return maxBufferedBody;
  }

  /** Bytes; a request declaring or sending a larger body is answered 413 by Jetty; 0 turns the limit off. */
  public long maxRequestBody() {
    return maxRequestBody;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  @Override
  public String toString() {
    return "ServerLimits[idleTimeout=" + idleTimeout + ", minRequestDataRate=" + minRequestDataRate
        + ", minResponseDataRate=" + minResponseDataRate + ", maxBufferedBody=" + maxBufferedBody
        + ", maxRequestBody=" + maxRequestBody
        + ", shutdownGrace=" + shutdownGrace + "]";
  }

  /** Builds {@link ServerLimits}. */
  public static final class Builder {
    private Duration idleTimeout = Duration.ofSeconds(30);
    private long minRequestDataRate = 256;
    private long minResponseDataRate = 256;
    private long maxBufferedBody = 1024 * 1024;
    private long maxRequestBody = 16L * 1024 * 1024;
    private Duration shutdownGrace = Duration.ofSeconds(10);

    private Builder() {}

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    public Builder minRequestDataRate(long bytesPerSecond) {
      this.minRequestDataRate = notNegative(bytesPerSecond, "minRequestDataRate");
      return this;
    }

    public Builder minResponseDataRate(long bytesPerSecond) {
      this.minResponseDataRate = notNegative(bytesPerSecond, "minResponseDataRate");
      return this;
    }

    public Builder maxBufferedBody(long bytes) {
      this.maxBufferedBody = notNegative(bytes, "maxBufferedBody");
      return this;
    }

    public Builder maxRequestBody(long bytes) {
      this.maxRequestBody = notNegative(bytes, "maxRequestBody");
      return this;
    }

    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "shutdownGrace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative, was " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    public ServerLimits build() {
      return new ServerLimits(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    private static long notNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must not be negative, was " + v);
      }
      return v;
    }
  }
}
