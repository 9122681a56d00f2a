package io.pyairtable.metrics.examples.airtable;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.server.TurnkeyService;
import io.pyairtable.metrics.http.service.FullMetricsService;
import io.pyairtable.metrics.http.status.HealthCheck;
import io.pyairtable.metrics.integrations.cache.AirtableResponseCache;
import io.pyairtable.metrics.integrations.cache.CaffeineAirtableResponseCache;
import io.pyairtable.metrics.integrations.cache.RedisAirtableResponseCache;
import io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiterConfig;
import io.pyairtable.metrics.integrations.redis.LettuceMetrics;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Airtable gateway: an HTTP API in front of the Airtable Web API (see
 * {@link AirtableGatewayRoutes}) with a response cache (Redis when configured, else Caffeine), the
 * Airtable rate limiter (5 requests/second per base, shared through Redis when configured; callers
 * queue instead of getting 429s), a circuit breaker named {@value #CIRCUIT_NAME}, quota gauges and
 * a webhook receiver; built on metrics-http's turnkey service, so it also serves {@code /metrics},
 * {@code /health}, {@code /health/ready} (down while the breaker is open) and {@code /status}.
 *
 * <pre>{@code
 * MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("airtable-gateway").initialize();
 * try (AirtableGatewayService gw = AirtableGatewayService.start(AirtableGatewayConfig.builder()
 *     .port(0).upstream(URI.create(emulator.baseUrl()), emulator.apiKey()).build(), metrics)) {
 *   // GET http://127.0.0.1:{gw.port()}/bases/{baseId}/tables/Tasks/records
 * }
 * }</pre>
 */
public final class AirtableGatewayService extends TurnkeyService {

  /** The {@code service} label of this service. */
  public static final String SERVICE_NAME = ServiceCatalog.AIRTABLE_GATEWAY.serviceName();
  /** The {@code circuit_name} of the breaker around Airtable calls. */
  public static final String CIRCUIT_NAME = "airtable_api";
  /** The version on {@code service_info}. */
  public static final String VERSION = "0.1.0-SNAPSHOT";
  /** The longest a connection attempt to Redis may take. */
  static final Duration REDIS_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final AirtableGatewayConfig config;
  private final ClientResources redisResources;
  private final RedisEndpoint redis;
  private final RedisAvailability redisAvailability;
  private final AirtableRateLimiter limit;
  private final AirtableResponseCache cache;
  private final AirtableRequestQueue queue;
  private final CircuitBreaker breaker;
  private final ScheduledExecutorService gauges;

  private AirtableGatewayService(AirtableGatewayConfig config, MetricsCollector metrics) {
    super(metrics, MetricGroup.AIRTABLE_GATEWAY, config.host());
    this.config = config;
    boolean cluster = config.redisClusterNodes().isPresent();
    this.redisResources = cluster || config.redisUrl().isPresent() ? LettuceMetrics.clientResources(metrics) : null;
    // a Redis Cluster (REDIS_CLUSTER_NODES) wins over a single Redis (REDIS_URL)
    this.redis = cluster ? RedisEndpoint.cluster(config.redisClusterNodes().get(), redisResources, REDIS_CONNECT_TIMEOUT)
        : config.redisUrl().map(url -> RedisEndpoint.of(RedisProbe.failFast(RedisClient.create(redisResources, url),
            REDIS_CONNECT_TIMEOUT))).orElse(null);
    // one availability for the limiter and the cache: the first failure either sees stops both waiting on Redis
    this.redisAvailability = redis != null ? RedisProbe.availability(redis, config.redisTimeout())
        : null;
    // one permit per pacing interval; without Redis the same limiter decides in process
    AirtableRateLimiterConfig limits = AirtableRateLimiterConfig.builder().perBase(1, config.pacingInterval())
        .localShareOf(config.rateLimitReplicas()).redisTimeout(config.redisTimeout()).build();
    this.limit = redis != null ? new AirtableRateLimiter(redis, metrics, limits, redisAvailability)
        : AirtableRateLimiter.inProcess(metrics, limits);
    this.cache = redis != null
        ? new RedisAirtableResponseCache(redis, metrics, config.cacheTtl(), RedisAirtableResponseCache.DEFAULT_PREFIX,
            config.redisTimeout(), redisAvailability)
        : new CaffeineAirtableResponseCache(metrics, config.cacheTtl(), config.cacheMaxEntries());
    this.queue = new AirtableRequestQueue(limit, config.requestsPerSecondPerBase(), config.rateWindow(),
        config.maxQueuedPerBase(), metrics);
    this.breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker(CIRCUIT_NAME, metrics,
        config.breakerFailureThreshold(), config.breakerOpenDuration());
    HttpClient http = HttpClient.newBuilder().executor(daemonThreads(SERVICE_NAME + "-http-client"))
        .connectTimeout(Duration.ofSeconds(5)).build();
    AirtableLabels labels = new AirtableLabels();
    AirtableClient client = new AirtableClient(http, config.upstream(), config.apiToken(), metrics,
        config.upstreamTimeout(), labels);
    AirtableRecords records = new AirtableRecords(client, queue, breaker, limit, cache, metrics,
        config.monthlyCallLimit(), labels, config.listAllMaxPages(), config.listAllDeadline());
    AirtableWebhookReceiver webhooks = new AirtableWebhookReceiver(metrics, config.webhookMacSecret().orElse(null),
        labels);
    AirtableGatewayRoutes routes = new AirtableGatewayRoutes(records, webhooks, this::status, config.maxQueueWait());
    this.gauges = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, SERVICE_NAME + "-quota-gauges");
      t.setDaemon(true);
      return t;
    });
    gauges.scheduleAtFixedRate(queue::refreshQuotaGauges, 1, 1, TimeUnit.SECONDS);
    FullMetricsService.Builder service = turnkey(SERVICE_NAME, VERSION, 200, SERVICE_NAME)
        .redisUrl(cluster ? null : config.redisUrl().orElse(null))
        .dependency("airtable_api", () -> breaker.getState() == CircuitBreaker.State.OPEN
            ? HealthCheck.Result.down("circuit breaker open") : HealthCheck.Result.up());
    if (cluster) {
      // readiness on a cluster: what the limiter and the cache last saw of it (their shared availability); useRedis
      // starts a probe when one is due, so a gateway that found the cluster down (at start-up, say) becomes ready
      // again without traffic, which a not-ready pod would never get
      service.dependency("redis", () -> redisAvailability.useRedis() ? HealthCheck.Result.up()
          : HealthCheck.Result.down("Redis Cluster unreachable"));
    }
    app(service.configure(c -> routes.install(c.routes)));
  }

  /** Starts the gateway on {@code config.port()} (0: a free port). */
  public static AirtableGatewayService start(AirtableGatewayConfig config, MetricsCollector metrics) {
    return listen(new AirtableGatewayService(config, metrics), config.port());
  }

  private Map<String, Object> status() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "ok");
    h.put("service", SERVICE_NAME);
    h.put("upstream", config.upstream().toString());
    h.put("circuit_breaker", breaker.getState().name().toLowerCase());
    h.put("rate_limiter", !limit.usesRedis() ? "in_process" : limit.distributed() ? "redis" : "in_process_fallback");
    h.put("cache", cache instanceof RedisAirtableResponseCache ? "redis" : "caffeine");
    return h;
  }

  /** The breaker around Airtable calls. */
  public CircuitBreaker circuitBreaker() {
    return breaker;
  }

  /** The per-base request queue. */
  public AirtableRequestQueue requestQueue() {
    return queue;
  }

  /**
   * The shutdown began: queued calls whose turn would come after {@code deadlineNanos} are dropped
   * with 503 at once (and so are new ones that could not go before it).
   */
  @Override
  public void beginShutdown(long deadlineNanos) {
    queue.shutdown(deadlineNanos);
  }

  /** Once HTTP has drained: releases Redis and the rest. */
  @Override
  protected void release() {
    gauges.shutdownNow();
    if (cache instanceof RedisAirtableResponseCache redisCache) {
      redisCache.close();
    }
    limit.close();
    if (redisAvailability != null) {
      redisAvailability.close();
    }
    if (redis != null) {
      redis.shutdown();
    }
    if (redisResources != null) {
      redisResources.shutdown();
    }
  }
}
