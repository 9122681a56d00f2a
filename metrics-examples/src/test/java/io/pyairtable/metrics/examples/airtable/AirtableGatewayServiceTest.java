package io.pyairtable.metrics.examples.airtable;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AirtableGatewayServiceTest {

  private static final String BASE = "appGatewayTest001";
  private static final String TABLE = "Customers";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private AirtableEmulator airtable;
  private AirtableGatewayService gateway;

  @BeforeEach
  void start() {
    airtable = AirtableEmulator.builder().latency(Duration.ofMillis(1), Duration.ofMillis(5)).build().start();
    airtable.seedSampleRecords(BASE, TABLE, 120);
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME)
        .jvmMetrics(false).initialize();
    gateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
        .upstream(URI.create(airtable.baseUrl()), airtable.apiKey()).breaker(3, Duration.ofSeconds(30)).build(),
        metrics);
  }

  @AfterEach
  void stop() {
    gateway.close();
    airtable.close();
  }

  @Test
  void crudCallsSpeakAirtableRestAndLandInAirtableApiMetrics() throws Exception {
    JsonNode page = body(send("GET", records() + "?pageSize=100", null), 200);
    assertThat(page.path("records")).hasSize(100);
    assertThat(page.path("offset").asText()).isNotEmpty();
    JsonNode all = body(send("GET", records() + "?all=true&pageSize=50", null), 200);
    assertThat(all.path("records")).hasSize(120);
    assertThat(all.path("pages").asInt()).isEqualTo(3);

    JsonNode created = body(send("POST", records(), "{\"fields\":{\"Name\":\"Ada\"}}"), 200);
    String id = created.path("id").asText();
    assertThat(AirtableIds.isRecordId(id)).isTrue();
    assertThat(body(send("PATCH", records() + "/" + id, "{\"fields\":{\"Name\":\"Ada L.\"}}"), 200)
        .path("fields").path("Name").asText()).isEqualTo("Ada L.");
    HttpResponse<String> first = send("GET", records() + "/" + id, null);
    HttpResponse<String> second = send("GET", records() + "/" + id, null);
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(body(send("DELETE", records() + "/" + id, null), 200).path("deleted").asBoolean()).isTrue();
    body(send("GET", records() + "/" + id, null), 404);

    Exposition e = scrape();
    Map<String, String> table = Map.of("base_id", BASE, "table_name", TABLE);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), with(table, "operation", "list"))).isEqualTo(4.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), with(table, "operation", "create"))).isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), with(table, "operation", "update"))).isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), with(table, "operation", "delete"))).isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("operation", "get", "status_code", "200")))
        .isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("operation", "get", "status_code", "404")))
        .isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_DURATION_SECONDS.count(), table)).isEqualTo(9.0);
    assertThat(e.sum(AIRTABLE_CACHE_OPERATIONS_TOTAL.name(), Map.of("operation", "get", "result", "hit")))
        .isEqualTo(1.0);
    assertThat(airtable.requests()).isEqualTo(9);
  }

  @Test
  void burstsWaitInTheQueueAndNeverExceedFivePerSecondUpstream() throws Exception {
    // one answered call confirms the base, which then has its own lane and labels
    assertThat(send("GET", records() + "?pageSize=17", null).statusCode()).isEqualTo(200);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(records() + "?pageSize=" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int maxSeen = 0;
    while (calls.stream().anyMatch(c -> !c.isDone()) && System.nanoTime() < deadline) {
      maxSeen = Math.max(maxSeen, gateway.requestQueue().waiting(BASE));
      Thread.onSpinWait();
    }
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      assertThat(c.get().statusCode()).isEqualTo(200);
    }
    assertThat(maxSeen).isGreaterThan(5);
    assertThat(airtable.rateLimitResponses()).isZero();
    Exposition e = scrape();
    assertThat(e.sum(AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("base_id", BASE, "limit_type", "base")))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("limit_type", "upstream_429"))).isZero();
    assertThat(e.sum(AIRTABLE_REQUEST_QUEUE_SIZE.name(), Map.of("base_id", BASE))).isZero();
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("base_id", BASE, "status_code", "200")))
        .isEqualTo(17.0);
  }

  @Test
  @Timeout(60)
  void aBurstThatOutlivesTheBasesConfirmationStillSendsAirtableNoSixthCallInASecond() throws Exception {
    // a fresh gateway: the base is not confirmed, so the first ten reads wait in the shared "unknown"
    // lane; the first answer confirms it, and the next ten wait in the base's own lane
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(records() + "?pageSize=" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.anyOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    for (int i = 11; i <= 20; i++) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(records() + "?pageSize=" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<String> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.get(30, TimeUnit.SECONDS);
      answers.add(r.statusCode() + (r.statusCode() == 200 ? "" : " " + r.body()));
    }
    assertThat(answers).containsOnly("200").hasSize(20);
    assertThat(airtable.rateLimitResponses()).isZero();
    // both lanes took part: the shared one and the base's own
    assertThat(gateway.requestQueue().lanes()).isEqualTo(2);
    Exposition e = scrape();
    assertThat(e.sum(AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("limit_type", "upstream_429"))).isZero();
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("base_id", BASE, "status_code", "200")))
        .isEqualTo(20.0);
  }

  @Test
  void upstreamFailuresOpenTheBreakerAndLaterCallsAreRefusedWithoutCallingAirtable() throws Exception {
    airtable.injectFault(AirtableEmulator.Fault.SERVER_ERROR, 1.0);
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", records() + "?pageSize=" + (i + 1), null).statusCode()).isEqualTo(502);
    }
    long before = airtable.requests();
    HttpResponse<String> refused = send("GET", records() + "?pageSize=50", null);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(body(refused, 503).path("error").path("type").asText()).isEqualTo("CIRCUIT_OPEN");
    assertThat(airtable.requests()).isEqualTo(before);
    Exposition e = scrape();
    Map<String, String> circuit = Map.of("circuit_name", AirtableGatewayService.CIRCUIT_NAME);
    assertThat(e.sum(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), circuit)).isEqualTo(3.0);
    assertThat(e.sum(CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL.name(), circuit)).isEqualTo(1.0);
    assertThat(e.sum(CIRCUIT_BREAKER_STATE.name(), with(circuit, CIRCUIT_BREAKER_STATE.name(), "open")))
        .isEqualTo(1.0);
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("status_code", "500"))).isEqualTo(3.0);
  }

  @Test
  void webhookNotificationsAreValidatedAndCounted() throws Exception {
    String url = gateway.baseUrl() + AirtableGatewayRoutes.WEBHOOK;
    String unconfirmed = "{\"base\":{\"id\":\"appNotConfirmed01\"},\"webhook\":{\"id\":\"achAbCdEfGhIjKlMn\"},"
        + "\"timestamp\":\"2026-01-01T10:00:00.000Z\"}";
    assertThat(send("POST", url, unconfirmed).statusCode()).isEqualTo(200);
    assertThat(send("GET", records() + "?pageSize=1", null).statusCode()).isEqualTo(200); // confirms BASE
    String valid = "{\"base\":{\"id\":\"" + BASE + "\"},\"webhook\":{\"id\":\"achAbCdEfGhIjKlMn\"},"
        + "\"timestamp\":\"2026-01-01T10:00:00.000Z\"}";
    assertThat(send("POST", url, valid).statusCode()).isEqualTo(200);
    assertThat(send("POST", url, "{\"base\":{\"id\":\"" + BASE + "\"}}").statusCode()).isEqualTo(400);
    assertThat(send("POST", url, "not json").statusCode()).isEqualTo(400);
    String payloads = "{\"base\":{\"id\":\"" + BASE + "\"},\"payloads\":[{\"timestamp\":\"2026-01-01T10:00:00Z\","
        + "\"baseTransactionNumber\":4,\"changedTablesById\":{\"tblAbCdEfGhIjKlMn\":{\"changedRecordsById\":{}}}}]}";
    assertThat(send("POST", url, payloads).statusCode()).isEqualTo(200);
    Exposition e = scrape();
    String name = AIRTABLE_WEBHOOK_EVENTS_TOTAL.name();
    assertThat(e.sum(name, Map.of("base_id", BASE, "event_type", "notification", "status", "processed"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("base_id", BASE, "event_type", "notification", "status", "invalid_payload")))
        .isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("base_id", "unknown", "event_type", "malformed", "status", "invalid_payload")))
        .isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("base_id", BASE, "event_type", "table_data", "status", "processed"))).isEqualTo(1.0);
    assertThat(e.sum(name, Map.of("base_id", "unknown", "event_type", "notification", "status", "processed")))
        .isEqualTo(1.0);
    assertThat(e.find(name, "base_id", "appNotConfirmed01")).isEmpty();
  }

  @Test
  void signedWebhooksNeedTheRightMac() {
    String secret = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    AirtableWebhookReceiver receiver = new AirtableWebhookReceiver(gateway.collector(), secret);
    String body = "{\"base\":{\"id\":\"" + BASE + "\"},\"webhook\":{\"id\":\"achAbCdEfGhIjKlMn\"},"
        + "\"timestamp\":\"2026-01-01T10:00:00.000Z\"}";
    assertThat(receiver.receive(body.getBytes(), AirtableWebhookReceiver.sign(body, secret)).status())
        .isEqualTo("processed");
    assertThat(receiver.receive(body.getBytes(), "hmac-sha256=00").status()).isEqualTo("invalid_signature");
    assertThat(receiver.receive(body.getBytes(), null).httpStatus()).isEqualTo(401);
  }

  private String records() {
    return gateway.baseUrl() + "/bases/" + BASE + "/tables/" + TABLE + "/records";
  }

  private HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode body(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return json.readTree(r.body());
  }

  private Exposition scrape() throws Exception {
    return Exposition.parse(send("GET", gateway.baseUrl() + "/metrics", null).body());
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> m = new HashMap<>(labels);
    m.put(name, value);
    return m;
  }
}
