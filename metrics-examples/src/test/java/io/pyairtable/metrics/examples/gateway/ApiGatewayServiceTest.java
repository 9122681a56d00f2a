package io.pyairtable.metrics.examples.gateway;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pyairtable.metrics.BackendHealth;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiGatewayServiceTest {

  private static final String KEY = "test-key";
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin airtable;
  private Javalin llm;
  private int deadMcpPort;
  private ApiGatewayService gateway;

  @BeforeEach
  void start() {
    airtable = backend("airtable").start("127.0.0.1", 0);
    llm = backend("llm").start("127.0.0.1", 0);
    deadMcpPort = LoopbackPorts.free();
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME)
        .jvmMetrics(false).initialize();
    gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
        .backends(URI.create("http://127.0.0.1:" + airtable.port()), URI.create("http://127.0.0.1:" + deadMcpPort),
            URI.create("http://127.0.0.1:" + llm.port()))
        .apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).breaker(2, Duration.ofMinutes(1)).build(), metrics);
  }

  @AfterEach
  void stop() {
    gateway.close();
    airtable.stop();
    llm.stop();
  }

  private static Javalin backend(String name) {
    return Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.get("/health", ctx -> ctx.result("ok"));
      c.routes.get("/items/{id}", ctx -> ctx.header("X-Backend", name)
          .header("X-Seen-Request-ID", String.valueOf(ctx.header("X-Request-ID"))).contentType("application/json")
          .result(name + ":" + ctx.pathParam("id") + ":" + ctx.queryString()));
      c.routes.post("/items", ctx -> ctx.status(201).result(name + " got " + ctx.body()));
      c.routes.get("/fail", ctx -> ctx.status(500).result("boom"));
    });
  }

  @Test
  void routesForwardWithThePrefixStrippedKeepTheCorrelationIdAndLabelTheRouteTemplate() throws Exception {
    HttpResponse<String> a = send("GET", "/api/airtable/items/recAbCdEfGhIjKlMn?x=1", null, KEY);
    HttpResponse<String> b = send("GET", "/api/airtable/items/recZzZzZzZzZzZzZz", null, KEY);
    HttpResponse<String> c = send("POST", "/api/llm/items", "{\"q\":1}", KEY);
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("airtable:recAbCdEfGhIjKlMn:x=1");
    assertThat(a.headers().firstValue("X-Backend")).hasValue("airtable");
    assertThat(a.headers().allValues("Content-Type")).containsExactly("application/json");
    assertThat(a.headers().allValues("X-Request-ID")).hasSize(1);
    assertThat(a.headers().firstValue("X-Seen-Request-ID")).isEqualTo(a.headers().firstValue("X-Request-ID"));
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(c.statusCode()).isEqualTo(201);
    assertThat(c.body()).isEqualTo("llm got {\"q\":1}");

    Exposition e = scrape();
    List<Exposition.Sample> routes = e.matching(GATEWAY_ROUTE_REQUESTS_TOTAL.name(), Map.of());
    assertThat(routes).extracting(s -> s.labels().get("route")).containsOnly("/api/airtable/**", "/api/llm/**");
    assertThat(e.sum(GATEWAY_ROUTE_REQUESTS_TOTAL.name(), Map.of("route", "/api/airtable/**", "status", "200",
        "target_service", "airtable-gateway", "source_service", "external"))).isEqualTo(2.0);
    assertThat(e.sum(GATEWAY_ROUTE_DURATION_SECONDS.count(), Map.of("route", "/api/llm/**"))).isEqualTo(1.0);
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", "airtable-gateway",
        "backend_instance", "127.0.0.1:" + airtable.port(), "status", "200"))).isEqualTo(2.0);
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", "llm-orchestrator",
        "status", "201"))).isEqualTo(1.0);
  }

  @Test
  void everyAuthenticationCheckIsCountedByTypeAndStatus() throws Exception {
    assertThat(send("GET", "/api/airtable/items/1", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/airtable/items/1", null, "wrong").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/airtable/items/1", null, KEY).statusCode()).isEqualTo(200);
    HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
        + "/api/airtable/items/2")).header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bearer.statusCode()).isEqualTo(200);

    Exposition e = scrape();
    String name = GATEWAY_AUTH_REQUESTS_TOTAL.name();
    assertThat(e.sum(name, Map.of("auth_type", "none", "status", "missing"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("auth_type", "api_key", "status", "failure"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("auth_type", "api_key", "status", "success"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("auth_type", "bearer", "status", "success"))).isEqualTo(1.0);
    assertThat(e.sum(GATEWAY_ROUTE_REQUESTS_TOTAL.name(), Map.of("status", "401"))).isEqualTo(2.0);
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of())).isEqualTo(2.0);
  }

  @Test
  void healthChecksSetExactlyOneStatePerBackend() throws Exception {
    gateway.healthChecker().checkAll();
    Exposition e = scrape();
    String name = GATEWAY_BACKEND_HEALTH_STATUS.name();
    assertThat(e.sum(name, Map.of("backend_service", "airtable-gateway", name, "healthy"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("backend_service", "airtable-gateway", name, "unhealthy"))).isEqualTo(0.0);
    assertThat(e.sum(name, Map.of("backend_service", "airtable-gateway"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("backend_service", "mcp-server", name, "unhealthy"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("backend_service", "mcp-server"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("backend_service", "llm-orchestrator", name, "healthy"))).isEqualTo(1.0);
    assertThat(gateway.collector().apiGateway().backendHealth("mcp-server", "127.0.0.1:" + deadMcpPort))
        .isEqualTo(BackendHealth.UNHEALTHY.label());

    llm.stop();
    gateway.healthChecker().checkAll();
    assertThat(scrape().sum(name, Map.of("backend_service", "llm-orchestrator", name, "unhealthy"))).isEqualTo(1.0);
  }

  @Test
  void aFailingBackendOpensItsOwnBreakerOnly() throws Exception {
    assertThat(send("GET", "/api/mcp/anything", null, KEY).statusCode()).isEqualTo(502);
    assertThat(send("GET", "/api/airtable/fail", null, KEY).statusCode()).isEqualTo(500);
    assertThat(send("GET", "/api/mcp/anything", null, KEY).statusCode()).isEqualTo(502);
    HttpResponse<String> refused = send("GET", "/api/mcp/anything", null, KEY);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(send("GET", "/api/airtable/items/1", null, KEY).statusCode()).isEqualTo(200);

    Exposition e = scrape();
    Map<String, String> mcp = Map.of("circuit_name", "backend_mcp_server");
    assertThat(e.sum(CIRCUIT_BREAKER_STATE.name(), with(mcp, CIRCUIT_BREAKER_STATE.name(), "open"))).isEqualTo(1.0);
    assertThat(e.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), mcp)).isEqualTo(2.0);
    assertThat(e.sum(CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL.name(), mcp)).isEqualTo(1.0);
    Map<String, String> at = Map.of("circuit_name", "backend_airtable_gateway");
    assertThat(e.sum(CIRCUIT_BREAKER_STATE.name(), with(at, CIRCUIT_BREAKER_STATE.name(), "closed"))).isEqualTo(1.0);
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", "mcp-server",
        "status", "connect_error"))).isEqualTo(2.0);
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", "mcp-server",
        "status", "circuit_open"))).isEqualTo(1.0);
    assertThat(e.sum(GATEWAY_ROUTE_REQUESTS_TOTAL.name(), Map.of("route", "/api/mcp/**", "status", "circuit_open")))
        .isEqualTo(1.0);
  }

  private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header(ApiKeyAuthenticator.API_KEY_HEADER, key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Exposition scrape() throws Exception {
    return Exposition.parse(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> m = new HashMap<>(labels);
    m.put(name, value);
    return m;
  }
}
