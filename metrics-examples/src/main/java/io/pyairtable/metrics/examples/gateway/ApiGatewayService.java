package io.pyairtable.metrics.examples.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.server.TurnkeyService;
import io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The API gateway: one entry point in front of the three services. {@code /api/airtable/**},
 * {@code /api/mcp/**} and {@code /api/llm/**} are forwarded (prefix stripped) to the Airtable
 * gateway, the MCP server and the LLM orchestrator after API-key authentication. Metrics:
 * {@code gateway_route_requests_total} and {@code gateway_route_duration_seconds} per route
 * template ({@code /api/airtable/**}, never the raw path), {@code gateway_backend_requests_total},
 * {@code gateway_backend_health_status} from periodic {@code GET /health} checks,
 * {@code gateway_auth_requests_total}, and one circuit breaker per backend
 * ({@code circuit_name="backend_<service>"}). Built on metrics-http's turnkey service
 * ({@code /metrics}, {@code /health}); {@value #BACKENDS_PATH} shows the backends' health.
 *
 * <pre>{@code
 * try (ApiGatewayService gw = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
 *     .backends(airtableUri, mcpUri, llmUri).build(), metrics)) {
 *   // GET http://127.0.0.1:{gw.port()}/api/airtable/health  with X-API-Key: pyairtable-demo-key
 * }
 * }</pre>
 */
public final class ApiGatewayService extends TurnkeyService {

  /** The {@code service} label of this service. */
  public static final String SERVICE_NAME = ServiceCatalog.API_GATEWAY.serviceName();
  /** The version on {@code service_info}. */
  public static final String VERSION = "0.1.0-SNAPSHOT";
  /** Where the gateway shows its backends' health (unauthenticated, like {@code /health}). */
  public static final String BACKENDS_PATH = "/gateway/backends";
  /** The header a caller names itself in ({@code source_service}); unknown names count as {@code external}. */
  public static final String SOURCE_HEADER = "X-Source-Service";

  private static final Set<String> KNOWN_SOURCES = Set.of("web", "cli", "demo-traffic",
      ServiceCatalog.MCP_SERVER.serviceName(), ServiceCatalog.LLM_ORCHESTRATOR.serviceName(),
      ServiceCatalog.AIRTABLE_GATEWAY.serviceName());
  private static final HandlerType[] METHODS = {HandlerType.GET, HandlerType.POST, HandlerType.PUT,
      HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS};

  private final List<GatewayRoute> routes;
  private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
  private final ApiKeyAuthenticator auth;
  private final BackendProxy proxy;
  private final BackendHealthChecker health;

  private ApiGatewayService(ApiGatewayConfig config, MetricsCollector metrics) {
    super(metrics, MetricGroup.API_GATEWAY, config.host());
    Backend airtable = Backend.of(ServiceCatalog.AIRTABLE_GATEWAY.serviceName(), config.airtableGateway());
    Backend mcp = Backend.of(ServiceCatalog.MCP_SERVER.serviceName(), config.mcpServer());
    Backend llm = Backend.of(ServiceCatalog.LLM_ORCHESTRATOR.serviceName(), config.llmOrchestrator());
    this.routes = List.of(new GatewayRoute("/api/airtable", "", airtable), new GatewayRoute("/api/mcp", "", mcp),
        new GatewayRoute("/api/llm", "", llm));
    for (GatewayRoute r : routes) {
      breakers.put(r.backend().service(), CircuitBreakerMetrics.metricsEnabledCircuitBreaker(
          circuitName(r.backend()), metrics, config.breakerFailureThreshold(), config.breakerOpenDuration()));
    }
    this.auth = new ApiKeyAuthenticator(config.apiKeys(), metrics);
    ExecutorService httpThreads = daemonThreads(SERVICE_NAME + "-http-client");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads)
        .connectTimeout(Duration.ofSeconds(3)).build();
    this.proxy = new BackendProxy(http, httpThreads, metrics, config.backendTimeout(), config.streamHeartbeat(),
        config.streamIdleTimeout());
    this.health = new BackendHealthChecker(routes.stream().map(GatewayRoute::backend).toList(), http, metrics,
        config.healthInterval());
    app(turnkey(SERVICE_NAME, VERSION, 200, SERVICE_NAME).configure(c -> install(c.routes)));
  }

  /** Starts the gateway on {@code config.port()} (0: a free port) and its health checks. */
  public static ApiGatewayService start(ApiGatewayConfig config, MetricsCollector metrics) {
    return listen(new ApiGatewayService(config, metrics), config.port());
  }

  @Override
  protected void started() {
    health.start();
  }

  /** The {@code circuit_name} of a backend's breaker. */
  public static String circuitName(Backend backend) {
    return "backend_" + backend.service().replace('-', '_');
  }

  private void install(RoutesConfig r) {
    for (GatewayRoute route : routes) {
      for (HandlerType method : METHODS) {
        r.addHttpHandler(method, route.prefix(), ctx -> handle(ctx, route));
        r.addHttpHandler(method, route.prefix() + "/<path>", ctx -> handle(ctx, route));
      }
    }
    r.get(BACKENDS_PATH, ctx -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ok");
      body.put("service", SERVICE_NAME);
      Map<String, String> backends = new LinkedHashMap<>();
      for (GatewayRoute route : routes) {
        backends.put(route.backend().service(), health.health(route.backend()).label());
      }
      body.put("backends", backends);
      ctx.json(body);
    });
  }

  private void handle(Context ctx, GatewayRoute route) {
    long start = System.nanoTime();
    String source = sourceOf(ctx);
    String target = route.backend().service();
    ApiKeyAuthenticator.Result authResult = auth.authenticate(ctx.header(ApiKeyAuthenticator.API_KEY_HEADER),
        ctx.header("Authorization"));
    String status;
    if (!authResult.authenticated()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"pyairtable\"");
      ctx.status(401).json(Map.of("error", Map.of("type", "AUTHENTICATION_REQUIRED",
          "message", "send a valid key in X-API-Key or Authorization: Bearer")));
      status = "401";
    } else {
      status = proxy.forward(ctx, route, breakers.get(target));
    }
    collector().apiGateway().recordRouteRequest(source, target, route.template(), status,
        (System.nanoTime() - start) / 1e9);
  }

  private static String sourceOf(Context ctx) {
    String s = ctx.header(SOURCE_HEADER);
    return s != null && KNOWN_SOURCES.contains(s) ? s : "external";
  }

  /** The health checker (for example to run a round of checks now). */
  public BackendHealthChecker healthChecker() {
    return health;
  }

  /** The breaker of the backend running {@code service}. */
  public CircuitBreaker circuitBreaker(String service) {
    return breakers.get(service);
  }

  /** The routes, in matching order. */
  public List<GatewayRoute> routes() {
    return routes;
  }

  /** Once HTTP has drained (in-flight requests and their backend calls finished): stops the health checks. */
  @Override
  protected void release() {
    health.close();
  }
}
