package io.pyairtable.metrics.examples.gateway;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.integrations.testing.Conditions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API gateway proxies event streams as streams and charges its breakers only with real backend failures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiGatewayStreamingTest {

  private static final String KEY = "test-key";
  private static final String MCP = ServiceCatalog.MCP_SERVER.serviceName();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch backendSawClose = new CountDownLatch(1);
  private final AtomicInteger deletes = new AtomicInteger();
  private Javalin backend;
  private ApiGatewayService gateway;

  @BeforeEach
  void start() {
    backend = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.get("/health", ctx -> ctx.result("ok"));
      // like the MCP SDK's GET stream: no headers until the first event
      c.routes.get("/late-first-event", ctx -> {
        Thread.sleep(1_500);
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        out.write("data: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      });
      c.routes.get("/endless", ctx -> {
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        try {
          for (int i = 0; i < 600; i++) {
            out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(50);
          }
        } catch (IOException closed) {
          backendSawClose.countDown();
        }
      });
      c.routes.get("/quiet-after-headers", ctx -> {
        ctx.contentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        out.flush();
        Thread.sleep(1_200);
        out.write("data: late\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      });
      c.routes.get("/silent", ctx -> Thread.sleep(20_000));
      c.routes.get("/slow", ctx -> {
        Thread.sleep(1_500);
        ctx.result("too late");
      });
      c.routes.delete("/mcp", ctx -> {
        deletes.incrementAndGet();
        ctx.status(200);
      });
    }).start("127.0.0.1", 0);
    URI uri = URI.create("http://127.0.0.1:" + backend.port());
    gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0).backends(uri, uri, uri)
        .apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).breaker(2, Duration.ofMinutes(1))
        .backendTimeout(Duration.ofMillis(500)).streams(Duration.ofMillis(200), Duration.ofSeconds(30)).build(),
        Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
  }

  @AfterEach
  void stop() {
    gateway.close();
    backend.stop();
  }

  @Test
  void anEventStreamWhoseFirstEventComesAfterTheRequestTimeoutPassesThroughAndIsNoFailure() throws Exception {
    HttpResponse<String> r = http.send(request("/api/mcp/late-first-event").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(r.body()).isEqualTo("data: {\"n\":1}\n\n");
    Exposition e = scrape();
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", MCP, "status", "200"))).isEqualTo(1.0);
    assertThat(e.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), Map.of("circuit_name", "backend_mcp_server"))).isZero();
  }

  @Test
  void aQuietStreamGetsHeartbeatsBetweenEvents() throws Exception {
    HttpResponse<String> r = http.send(request("/api/mcp/quiet-after-headers").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith(": keep-alive\n\n").endsWith(": keep-alive\n\ndata: late\n\n");
    assertThat(r.body().replace(": keep-alive\n\n", "")).isEqualTo("data: late\n\n");
  }

  @Test
  void aStreamTheClientClosesEndsAtTheBackendAndIsNoFailure() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.getOutputStream().write(("GET /api/mcp/endless HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      BufferedReader answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(answer.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      while ((line = answer.readLine()) != null && !line.equals("data: 0")) {
        // headers and chunk sizes, up to the first event
      }
      assertThat(line).isEqualTo("data: 0");
    } // the client closes its connection mid-stream

    Conditions.await(Duration.ofSeconds(20), "the MCP route's request counted",
        () -> scrapeUnchecked().sum(GATEWAY_ROUTE_REQUESTS_TOTAL.name(), Map.of("target_service", MCP)) == 1.0);

    assertThat(backendSawClose.await(20, TimeUnit.SECONDS)).as("the backend saw its stream closed").isTrue();
    Exposition e = scrape();
    assertThat(e.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), Map.of("circuit_name", "backend_mcp_server"))).isZero();
    assertThat(gateway.circuitBreaker(MCP).getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void aClientThatLeavesWhileTheStreamWaitsForItsFirstByteIsCountedAsClosedNotAsAFailure() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.getOutputStream().write(("GET /api/mcp/silent HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      Thread.sleep(800); // longer than the request timeout, then the client leaves
    }

    Conditions.await(Duration.ofSeconds(20), "the backend request counted as client_closed",
        () -> scrapeUnchecked().sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(),
            Map.of("backend_service", MCP, "status", "client_closed")) == 1.0);
    Exposition e = scrape();
    assertThat(e.sum(GATEWAY_BACKEND_REQUESTS_TOTAL.name(), Map.of("backend_service", MCP, "status", "timeout"))).isZero();
    assertThat(e.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), Map.of("circuit_name", "backend_mcp_server"))).isZero();
  }

  @Test
  void plainRequestsStillTimeOutAndCountAsFailures() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/mcp/slow"))
        .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(scrape().sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), Map.of("circuit_name", "backend_mcp_server")))
        .isEqualTo(1.0);
  }

  @Test
  void aSessionDeleteReachesTheBackendWhileItsBreakerIsOpen() throws Exception {
    gateway.circuitBreaker(MCP).transitionToOpenState();

    HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/mcp/mcp"))
        .header("X-API-Key", KEY).header("Mcp-Session-Id", "session-1").DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/mcp/health"))
        .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(delete.statusCode()).isEqualTo(200);
    assertThat(deletes.get()).isEqualTo(1);
    assertThat(other.statusCode()).isEqualTo(503);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("X-API-Key", KEY)
        .header("Accept", "text/event-stream");
  }

  private Exposition scrape() throws Exception {
    return Exposition.parse(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private Exposition scrapeUnchecked() {
    try {
      return scrape();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
