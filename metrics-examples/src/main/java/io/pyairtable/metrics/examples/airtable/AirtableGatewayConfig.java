package io.pyairtable.metrics.examples.airtable;

import io.pyairtable.metrics.SecretMask;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.examples.config.ServiceConfigBuilder;
import io.pyairtable.metrics.integrations.cache.RedisAirtableResponseCache;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link AirtableGatewayService}. The upstream is the real Airtable Web API when
 * {@code AIRTABLE_API_KEY} is set ({@value #AIRTABLE_API}, or {@code AIRTABLE_BASE_URL}); without a
 * key {@link #fromEnvironment} leaves it unset and the launcher provides one (the demo: its
 * loopback emulator; see {@link Builder#hasUpstream()}).
 *
 * <pre>{@code
 * AirtableGatewayConfig.Builder b = AirtableGatewayConfig.fromEnvironment(System.getenv()).port(8002);
 * if (!b.hasUpstream()) {
 *   b.upstream(URI.create(emulator.baseUrl()), emulator.apiKey());
 * }
 * AirtableGatewayConfig config = b.redisUrl("redis://127.0.0.1:6379").build();
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param upstream the Airtable (or Airtable-compatible) base URL
 * @param apiToken the bearer token sent upstream
 * @param redisUrl the Redis URL for the response cache and the shared rate limiter; empty: Caffeine
 *     and the limiter's in-process mode
 * @param redisClusterNodes the seed nodes ({@code host:port,...}) of a Redis Cluster for the cache,
 *     the shared rate limiter and readiness; when set it is used instead of {@code redisUrl}
 * @param rateLimitReplicas how many gateway replicas share Airtable's limits (default 1): each
 *     one's fallback share is 1/n
 * @param redisTimeout the longest one rate-limit decision or cache call waits on Redis before the
 *     gateway decides without it (default 250 ms): the limiter falls back to its local share, the
 *     cache misses
 * @param requestsPerSecondPerBase Airtable's per-base limit (5)
 * @param rateWindow the period the per-base limit is kept over, by the limiter's buckets and the
 *     queue's sliding window: Airtable's 1 s plus a margin for jitter between the gateway and
 *     Airtable (default 1.2 s); the queue also holds each call's slot until a second after
 *     Airtable's answer, so a call that reaches Airtable late never makes it count 6 in its second
 * @param maxQueuedPerBase the most requests waiting per base before new ones get a 503
 * @param cacheTtl how long a read stays cached
 * @param cacheMaxEntries the in-process cache's size bound
 * @param breakerFailureThreshold consecutive upstream failures that open the breaker
 * @param breakerOpenDuration how long the breaker stays open
 * @param webhookMacSecret the webhook's {@code macSecretBase64}; empty: unsigned notifications accepted
 * @param monthlyCallLimit Airtable API calls per month the workspace's plan allows (Team plan: 100,000)
 * @param upstreamTimeout the timeout of one upstream call
 * @param maxQueueWait the longest a request waits in the request queue for its rate-limit slot
 *     (default 10 s); a client's shorter {@code X-Request-Timeout-Ms} wins; past it the request is
 *     answered 503 with {@code Retry-After} instead of being sent late
 * @param listAllMaxPages the most pages one {@code all=true} listing follows (default 200)
 * @param listAllDeadline how long one {@code all=true} listing may take, queueing included (default 60 s)
 */
public record AirtableGatewayConfig(String host, int port, URI upstream, String apiToken, Optional<String> redisUrl,
    Optional<String> redisClusterNodes, int rateLimitReplicas, Duration redisTimeout, int requestsPerSecondPerBase,
    Duration rateWindow, int maxQueuedPerBase, Duration cacheTtl, long cacheMaxEntries, int breakerFailureThreshold,
    Duration breakerOpenDuration, Optional<String> webhookMacSecret, long monthlyCallLimit, Duration upstreamTimeout,
    Duration maxQueueWait, int listAllMaxPages, Duration listAllDeadline) {

  /** The real Airtable Web API. */
  public static final String AIRTABLE_API = "https://api.airtable.com";

  /** Checks the settings (an Optional is never null). */
  public AirtableGatewayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(apiToken, "apiToken");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(redisClusterNodes, "redisClusterNodes");
    Objects.requireNonNull(webhookMacSecret, "webhookMacSecret");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding the settings from the environment: {@code AIRTABLE_API_KEY} (then the
   * upstream is the real API, or {@code AIRTABLE_BASE_URL}), {@code REDIS_URL},
   * {@code REDIS_CLUSTER_NODES} (a Redis Cluster's {@code host:port,...}; wins over
   * {@code REDIS_URL}), {@code REDIS_TIMEOUT} (a duration such as {@code 250ms}),
   * {@code RATE_LIMIT_REPLICAS} (gateway replicas sharing the limits),
   * {@code AIRTABLE_WEBHOOK_MAC_SECRET}, {@code AIRTABLE_MONTHLY_CALL_LIMIT}. Without an API key the
   * upstream stays unset ({@link Builder#hasUpstream()}). An invalid URL or call limit fails naming
   * its variable (see {@link EnvironmentSettings}).
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Builder b = builder();
    settings.string("AIRTABLE_API_KEY").ifPresent(key ->
        b.upstream(settings.url("AIRTABLE_BASE_URL").orElse(URI.create(AIRTABLE_API)), key));
    settings.string("REDIS_URL").ifPresent(b::redisUrl);
    settings.string("REDIS_CLUSTER_NODES").ifPresent(nodes -> {
      try {
        b.redisClusterNodes(nodes);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("REDIS_CLUSTER_NODES: " + e.getMessage(), e);
      }
    });
    settings.duration("REDIS_TIMEOUT").ifPresent(b::redisTimeout);
    settings.positiveInt("RATE_LIMIT_REPLICAS").ifPresent(b::rateLimitReplicas);
    settings.string("AIRTABLE_WEBHOOK_MAC_SECRET").ifPresent(b::webhookMacSecret);
    settings.positiveLong("AIRTABLE_MONTHLY_CALL_LIMIT").ifPresent(b::monthlyCallLimit);
    return b;
  }

  /**
   * The rate limiter's spacing between two calls of one base: {@link #rateWindow()} divided by
   * {@link #requestsPerSecondPerBase()} (240 ms by default). The limiter's buckets hold one permit
   * refilled at this interval, so calls leave paced instead of in bursts of five: the same 5 per
   * 1.2 s on average, with a wide margin against jitter bunching them on Airtable's side.
   */
  public Duration pacingInterval() {
    return rateWindow.dividedBy(requestsPerSecondPerBase);
  }

  /** No token or secret: the Redis URL with its password masked. */
  @Override
  public String toString() {
    return "AirtableGatewayConfig[" + host + ":" + port + ", upstream=" + upstream + ", redis="
        + redisClusterNodes.or(() -> redisUrl.map(SecretMask::url)).orElse("none") + "]";
  }

  /** Builder; defaults: loopback host, port 8002, 5 calls/s per base kept over 1.2 s, 30 s cache TTL. */
  public static final class Builder extends ServiceConfigBuilder<Builder> {
    private URI upstream;
    private String apiToken;
    private String redisUrl;
    private String redisClusterNodes;
    private int rateLimitReplicas = 1;
    private Duration redisTimeout = RedisAirtableResponseCache.DEFAULT_TIMEOUT;
    private int requestsPerSecondPerBase = 5;
    private Duration rateWindow = Duration.ofMillis(1200);
    private int maxQueuedPerBase = 500;
    private Duration cacheTtl = Duration.ofSeconds(30);
    private long cacheMaxEntries = 10_000;
    private int breakerFailureThreshold = 5;
    private Duration breakerOpenDuration = Duration.ofSeconds(30);
    private String webhookMacSecret;
    private long monthlyCallLimit = 100_000;
    private Duration upstreamTimeout = Duration.ofSeconds(10);
    private Duration maxQueueWait = Duration.ofSeconds(10);
    private int listAllMaxPages = AirtableRecords.DEFAULT_LIST_ALL_MAX_PAGES;
    private Duration listAllDeadline = AirtableRecords.DEFAULT_LIST_ALL_DEADLINE;

    private Builder() {
      super(ServiceCatalog.AIRTABLE_GATEWAY.defaultPort());
    }

    /** Whether the upstream is set (from {@code AIRTABLE_API_KEY}, or by {@link #upstream}). */
    public boolean hasUpstream() {
      return upstream != null;
    }

    /** Bounds of an {@code all=true} listing: at most {@code maxPages} pages within {@code deadline}. */
    public Builder listAll(int maxPages, Duration deadline) {
      this.listAllMaxPages = maxPages;
      this.listAllDeadline = deadline;
      return this;
    }

    public Builder upstream(URI baseUrl, String token) {
      this.upstream = baseUrl;
      this.apiToken = token;
      return this;
    }

    public Builder redisUrl(String url) {
      this.redisUrl = url;
      return this;
    }

    /** A Redis Cluster's seed nodes, {@code host:port,host:port,...} (checked here); null: none. */
    public Builder redisClusterNodes(String nodes) {
      if (nodes != null) {
        RedisEndpoint.clusterNodes(nodes);
      }
      this.redisClusterNodes = nodes;
      return this;
    }

    /** Gateway replicas sharing Airtable's limits (at least 1). */
    public Builder rateLimitReplicas(int replicas) {
      if (replicas < 1) {
        throw new IllegalArgumentException("rate limit replicas must be at least 1, was " + replicas);
      }
      this.rateLimitReplicas = replicas;
      return this;
    }

    /** The longest a rate-limit decision or cache call waits on Redis (positive; default 250 ms). */
    public Builder redisTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("Redis timeout must be positive, was " + timeout);
      }
      this.redisTimeout = timeout;
      return this;
    }

    public Builder requestsPerSecondPerBase(int perSecond) {
      this.requestsPerSecondPerBase = perSecond;
      return this;
    }

    public Builder rateWindow(Duration window) {
      this.rateWindow = window;
      return this;
    }

    public Builder maxQueuedPerBase(int max) {
      this.maxQueuedPerBase = max;
      return this;
    }

    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = ttl;
      return this;
    }

    public Builder cacheMaxEntries(long max) {
      this.cacheMaxEntries = max;
      return this;
    }

    public Builder breaker(int failureThreshold, Duration openDuration) {
      this.breakerFailureThreshold = failureThreshold;
      this.breakerOpenDuration = openDuration;
      return this;
    }

    public Builder webhookMacSecret(String base64) {
      this.webhookMacSecret = base64;
      return this;
    }

    public Builder monthlyCallLimit(long calls) {
      this.monthlyCallLimit = calls;
      return this;
    }

    public Builder upstreamTimeout(Duration timeout) {
      this.upstreamTimeout = timeout;
      return this;
    }

    public Builder maxQueueWait(Duration wait) {
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("maxQueueWait must be positive, was " + wait);
      }
      this.maxQueueWait = wait;
      return this;
    }

    public AirtableGatewayConfig build() {
      return new AirtableGatewayConfig(host(), port(), upstream, apiToken, Optional.ofNullable(redisUrl),
          Optional.ofNullable(redisClusterNodes), rateLimitReplicas, redisTimeout, requestsPerSecondPerBase, rateWindow,
          maxQueuedPerBase, cacheTtl, cacheMaxEntries, breakerFailureThreshold, breakerOpenDuration,
          Optional.ofNullable(webhookMacSecret), monthlyCallLimit, upstreamTimeout, maxQueueWait, listAllMaxPages,
          listAllDeadline);
    }
  }
}
