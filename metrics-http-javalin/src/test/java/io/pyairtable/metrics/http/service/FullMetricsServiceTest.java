package io.pyairtable.metrics.http.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.status.RedisHealthCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The turnkey service over real HTTP, with a real redis-server for readiness. */
class FullMetricsServiceTest {

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private MetricsCollector collector;
  private Javalin app;
  private Process redis;

  @TempDir
  Path dir;

  @BeforeEach
  void collector() {
    collector = Metrics.builder(Map.of()).serviceName("turnkey").version("2.0.0").jvmMetrics(false).initialize();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (app != null) {
      app.stop();
    }
    if (redis != null) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int startRedis() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!new RedisHealthCheck("redis://127.0.0.1:" + port, Duration.ofMillis(200), null).check().healthy()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.onSpinWait();
    }
    return port;
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessFollowsRedisAndLivenessStaysUp() throws Exception {
    int port = startRedis();
    app = FullMetricsService.builder("turnkey").version("2.0.0").collector(collector)
        .redisUrl("redis://127.0.0.1:" + port).stopOnJvmShutdown(false).build().start("127.0.0.1", 0);

    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(ready.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("service").asText()).isEqualTo("turnkey");
    assertThat(body.at("/checks/redis/status").asText()).isEqualTo("up");

    redis.destroy();
    redis.waitFor(10, TimeUnit.SECONDS);
    HttpResponse<String> down = get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(json.readTree(down.body()).at("/checks/redis/status").asText()).isEqualTo("down");
    HttpResponse<String> live = get("/health");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json.readTree(live.body()).get("status").asText()).isEqualTo("degraded");

    Exposition e = new Exposition(collector.exportMetrics());
    assertThat(e.value(MetricCatalog.REDIS_OPERATIONS_TOTAL.name(), "operation", "ping", "result", "success"))
        .isEqualTo(1);
    assertThat(e.value(MetricCatalog.REDIS_OPERATIONS_TOTAL.name(), "operation", "ping", "result", "error"))
        .isEqualTo(2);
    // health checks are excluded from the request metrics
    assertThat(e.find(MetricCatalog.HTTP_REQUESTS_TOTAL.name())).isEmpty();
  }

  @Test
  void userRoutesAreMeasuredAndSummaryListsTheServiceFamilies() throws Exception {
    app = FullMetricsService.createServiceWithFullMetrics("turnkey", "2.0.0", null, (config, metrics) ->
        config.routes.get("/orders/{id}", ctx -> {
          metrics.recordBusinessOperation("order_lookup", true, 0.01);
          ctx.result("order");
        }));
    app.start("127.0.0.1", 0);
    MetricsCollector metrics = FullMetricsService.collector(app);
    assertThat(get("/orders/7").body()).isEqualTo("order");
    assertThat(get("/orders/8").body()).isEqualTo("order");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (new Exposition(metrics.exportMetrics()).value(MetricCatalog.HTTP_REQUESTS_TOTAL.name(),
        "endpoint", "/orders/{id}") != 2) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.onSpinWait();
    }
    HttpResponse<String> summary = get("/metrics/summary");
    assertThat(summary.statusCode()).isEqualTo(200);
    JsonNode root = json.readTree(summary.body());
    assertThat(root.get("service").asText()).isEqualTo("turnkey");
    assertThat(root.get("version").asText()).isEqualTo("2.0.0");
    JsonNode requests = null;
    for (JsonNode f : root.get("families")) {
      assertThat(f.get("name").asText()).doesNotStartWith("jvm_");
      if (f.get("name").asText().equals(MetricCatalog.HTTP_REQUESTS_TOTAL.name())) {
        requests = f;
      }
    }
    assertThat(requests).isNotNull();
    assertThat(requests.get("type").asText()).isEqualTo("counter");
    assertThat(requests.at("/series/0/labels/endpoint").asText()).isEqualTo("/orders/{id}");
    assertThat(requests.at("/series/0/value").asDouble()).isEqualTo(2.0);
    assertThat(get("/metrics").body()).contains("business_operations_total{operation_type=\"order_lookup\"");
  }

  @Test
  void stopLetsInFlightRequestsFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    app = FullMetricsService.builder("turnkey").collector(collector).stopOnJvmShutdown(false)
        .shutdownTimeout(Duration.ofSeconds(10))
        .configure(config -> config.routes.get("/slow", ctx -> {
          entered.countDown();
          release.await(10, TimeUnit.SECONDS);
          ctx.result("finished");
        })).build().start("127.0.0.1", 0);
    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::stop);
    release.countDown();
    HttpResponse<String> res = inFlight.get(15, TimeUnit.SECONDS);
    stopping.get(15, TimeUnit.SECONDS);
    app = null;
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).isEqualTo("finished");
  }

  @Test
  void managementPortServesMetricsAwayFromTheApplicationPort() throws Exception {
    app = FullMetricsService.builder("turnkey").collector(collector).stopOnJvmShutdown(false)
        .options(o -> o.managementPort(0).metricsAuth(MetricsAuth.bearer("t0ken")))
        .configure(config -> config.routes.get("/hello", ctx -> ctx.result("hi")))
        .build().start("127.0.0.1", 0);
    assertThat(get("/hello").body()).isEqualTo("hi");
    assertThat(get("/metrics").statusCode()).isEqualTo(404);
    int management = FullMetricsService.middleware(app).managementServer().orElseThrow().port();
    assertThat(management).isNotEqualTo(app.port());
    URI metrics = URI.create("http://127.0.0.1:" + management + "/metrics");
    assertThat(client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(401);
    HttpResponse<String> ok = client.send(HttpRequest.newBuilder(metrics).header("Authorization", "Bearer t0ken")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("http_requests_total{endpoint=\"/hello\"");
  }

  @Test
  void theServicesOwnEndpointsAreAnsweredAheadOfACatchAllRouteWithTheMethodsTheyAllow() throws Exception {
    app = FullMetricsService.builder("turnkey").collector(collector).stopOnJvmShutdown(false)
        .configure(config -> {
          config.routes.before(ctx -> ctx.header("X-Before", "ran"));
          config.routes.get("/*", ctx -> ctx.result("catch-all"));
        })
        .build().start("127.0.0.1", 0);
    assertThat(get("/other").body()).isEqualTo("catch-all");
    for (String path : new String[] {"/health", "/health/live", "/health/ready", "/health/", "/metrics/summary"}) {
      HttpResponse<String> res = get(path);
      assertThat(res.statusCode()).as(path).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
      assertThat(res.headers().firstValue("X-Before")).as(path).isEmpty();
      assertThat(json.readTree(res.body()).isObject()).as(path).isTrue();
      HttpResponse<String> head = send(path, "HEAD");
      assertThat(head.statusCode()).as(path).isEqualTo(200);
      assertThat(head.headers().firstValueAsLong("Content-Length")).as(path).isPresent();
      assertThat(head.body()).as(path).isEmpty();
      HttpResponse<String> options = send(path, "OPTIONS");
      assertThat(options.statusCode()).as(path).isEqualTo(204);
      assertThat(options.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
      HttpResponse<String> post = send(path, "POST");
      assertThat(post.statusCode()).as(path).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
    }
    assertThat(get("/health/other").body()).isEqualTo("catch-all"); // exact paths only
  }

  private HttpResponse<String> send(String path, String method) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
