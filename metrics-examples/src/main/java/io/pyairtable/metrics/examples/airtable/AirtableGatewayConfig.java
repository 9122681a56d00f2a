package io.pyairtable.metrics.examples.airtable;

import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link AirtableGatewayService}. The upstream is the real Airtable Web API when
 * {@code AIRTABLE_API_KEY} is set ({@value #AIRTABLE_API}, or {@code AIRTABLE_BASE_URL}), otherwise
 * whatever the launcher passes (the loopback emulator in the demo).
 *
 * <pre>{@code
 * AirtableGatewayConfig config = AirtableGatewayConfig.builder()
 *     .port(8002).upstream(URI.create(emulator.baseUrl()), emulator.apiKey())
 *     .redisUrl("redis://127.0.0.1:6379").build();
 * AirtableGatewayConfig fromEnv = AirtableGatewayConfig.fromEnvironment(System.getenv(), fallbackUpstream, fallbackToken);
 * }</pre>
 */
public final class AirtableGatewayConfig {

  /** The real Airtable Web API. */
  public static final String AIRTABLE_API = "https://api.airtable.com";

  private final String host;
  private final int port;
  private final URI upstream;
  private final String apiToken;
  private final String redisUrl;
  private final String redisClusterNodes;
  private final int rateLimitReplicas;
  private final int requestsPerSecondPerBase;
  private final Duration rateWindow;
  private final int maxQueuedPerBase;
  private final Duration cacheTtl;
  private final long cacheMaxEntries;
  private final int breakerFailureThreshold;
  private final Duration breakerOpenDuration;
  private final String webhookMacSecret;
  private final long monthlyCallLimit;
  private final Duration upstreamTimeout;
  private final Duration maxQueueWait;
  private final int listAllMaxPages;
  private final Duration listAllDeadline;

  private AirtableGatewayConfig(Builder b) {
    this.listAllMaxPages = b.listAllMaxPages;
    this.listAllDeadline = b.listAllDeadline;
    this.host = b.host;
    this.port = b.port;
    this.upstream = Objects.requireNonNull(b.upstream, "upstream");
    this.apiToken = Objects.requireNonNull(b.apiToken, "apiToken");
    this.redisUrl = b.redisUrl;
    this.redisClusterNodes = b.redisClusterNodes;
    this.rateLimitReplicas = b.rateLimitReplicas;
    this.requestsPerSecondPerBase = b.requestsPerSecondPerBase;
    this.rateWindow = b.rateWindow;
    this.maxQueuedPerBase = b.maxQueuedPerBase;
    this.cacheTtl = b.cacheTtl;
    this.cacheMaxEntries = b.cacheMaxEntries;
    this.breakerFailureThreshold = b.breakerFailureThreshold;
    this.breakerOpenDuration = b.breakerOpenDuration;
    this.webhookMacSecret = b.webhookMacSecret;
    this.monthlyCallLimit = b.monthlyCallLimit;
    this.upstreamTimeout = b.upstreamTimeout;
    this.maxQueueWait = b.maxQueueWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings from the environment: {@code AIRTABLE_API_KEY} (then the upstream is the real API,
   * or {@code AIRTABLE_BASE_URL}), {@code REDIS_URL}, {@code REDIS_CLUSTER_NODES} (a Redis Cluster's
   * {@code host:port,...}; wins over {@code REDIS_URL}), {@code RATE_LIMIT_REPLICAS} (gateway
   * replicas sharing the limits), {@code AIRTABLE_WEBHOOK_MAC_SECRET},
   * {@code AIRTABLE_MONTHLY_CALL_LIMIT}; without an API key, {@code fallbackUpstream} and
   * {@code fallbackToken} (the emulator's). An invalid URL or call limit fails naming its variable
   * (see {@link EnvironmentSettings}).
   */
  public static Builder fromEnvironment(Map<String, String> env, URI fallbackUpstream, String fallbackToken) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Builder b = builder();
    Optional<String> key = settings.string("AIRTABLE_API_KEY");
    if (key.isPresent()) {
      b.upstream(settings.url("AIRTABLE_BASE_URL").orElse(URI.create(AIRTABLE_API)), key.get());
    } else {
      b.upstream(fallbackUpstream, fallbackToken);
    }
    settings.string("REDIS_URL").ifPresent(b::redisUrl);
    settings.string("REDIS_CLUSTER_NODES").ifPresent(nodes -> {
      try {
        b.redisClusterNodes(nodes);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("REDIS_CLUSTER_NODES: " + e.getMessage(), e);
      }
    });
    settings.positiveInt("RATE_LIMIT_REPLICAS").ifPresent(b::rateLimitReplicas);
    settings.string("AIRTABLE_WEBHOOK_MAC_SECRET").ifPresent(b::webhookMacSecret);
    settings.positiveLong("AIRTABLE_MONTHLY_CALL_LIMIT").ifPresent(b::monthlyCallLimit);
    return b;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public URI upstream() {
    return upstream;
  }

  public String apiToken() {
    return apiToken;
  }

  /** The Redis URL for the response cache and the shared rate limiter; empty: Caffeine and in-process limits. */
  public Optional<String> redisUrl() {
    return Optional.ofNullable(redisUrl);
  }

  /**
   * The seed nodes ({@code host:port,...}) of a Redis Cluster for the cache, the shared rate
   * limiter and readiness; when set it is used instead of {@link #redisUrl()}.
   */
  public Optional<String> redisClusterNodes() {
    return Optional.ofNullable(redisClusterNodes);
  }

  /** How many gateway replicas share Airtable's limits (default 1): each one's fallback share is 1/n. */
  public int rateLimitReplicas() {
    return rateLimitReplicas;
  }

  public int requestsPerSecondPerBase() {
    return requestsPerSecondPerBase;
  }

  /**
   * The period the per-base limit is kept over, by the rate limiter's buckets and the queue's
   * sliding window: Airtable's 1 s plus a margin, so that network and scheduling jitter between the
   * gateway and Airtable never make Airtable count 6 requests in its second (default 1.2 s).
   */
  public Duration rateWindow() {
    return rateWindow;
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

  public int maxQueuedPerBase() {
    return maxQueuedPerBase;
  }

  public Duration cacheTtl() {
    return cacheTtl;
  }

  public long cacheMaxEntries() {
    return cacheMaxEntries;
  }

  public int breakerFailureThreshold() {
    return breakerFailureThreshold;
  }

  public Duration breakerOpenDuration() {
    return breakerOpenDuration;
  }

  public Optional<String> webhookMacSecret() {
    return Optional.ofNullable(webhookMacSecret);
  }

  /** Airtable API calls per month the workspace's plan allows (Team plan: 100,000). */
  public long monthlyCallLimit() {
    return monthlyCallLimit;
  }

  public Duration upstreamTimeout() {
    return upstreamTimeout;
  }

  /**
   * The longest a request waits in the request queue for its Airtable rate-limit slot (default
   * 10 s); a client's shorter {@code X-Request-Timeout-Ms} wins. Past it the request is answered
   * 503 with {@code Retry-After} instead of being sent late.
   */
  public Duration maxQueueWait() {
    return maxQueueWait;
  }

  /** The most pages one {@code all=true} listing follows (default 200). */
  public int listAllMaxPages() {
    return listAllMaxPages;
  }

  /** How long one {@code all=true} listing may take, queueing included (default 60 s). */
  public Duration listAllDeadline() {
    return listAllDeadline;
  }

  /** Builder; defaults: loopback host, port 8002, 5 calls/s per base kept over 1.2 s, 30 s cache TTL. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8002;
    private URI upstream;
    private String apiToken;
    private String redisUrl;
    private String redisClusterNodes;
    private int rateLimitReplicas = 1;
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

    /** Bounds of an {@code all=true} listing: at most {@code maxPages} pages within {@code deadline}. */
    public Builder listAll(int maxPages, Duration deadline) {
      this.listAllMaxPages = maxPages;
      this.listAllDeadline = deadline;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port to listen on; 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
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
      return new AirtableGatewayConfig(this);
    }
  }
}
