package io.pyairtable.metrics.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.gateway.ApiKeyAuthenticator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's traffic generator: real HTTP calls to the API gateway (so every request crosses the
 * gateway and a backend), each scenario on its own schedule. Airtable reads (cache hits and misses)
 * and bursts of distinct reads (more than 5 per second for one base, so requests queue and the
 * limiter refuses some), writes (create, update, delete) on a second base, full listings that page
 * with {@code offset}, webhook notifications (valid, invalid, unsigned payload lists), failed
 * authentications, unknown routes and invalid ids, LLM chat sessions, MCP sessions (tools listed
 * and called), and a fault window in which the Airtable upstream fails so both circuit breakers
 * open, refuse calls and close again. Its load on each base stays under 5 requests/second on
 * average, so the queue drains between bursts.
 *
 * <p>The scripted incident (on unless switched off): from {@link #INCIDENT_START} after the start
 * the Airtable upstream fails every call for {@link #INCIDENT_LENGTH}; the circuit breakers flap
 * between open and half_open, so CircuitBreakerOpen (and usually HighErrorRate) fires, then
 * resolves once the upstream is healthy again. The short periodic fault windows start a minute after it.
 *
 * <pre>{@code
 * try (DemoTraffic traffic = new DemoTraffic(target, Duration.ofSeconds(12))) {
 *   traffic.start();
 * }
 * }</pre>
 */
public final class DemoTraffic implements AutoCloseable {

  /** What the traffic generator drives; {@code faults} switch the Airtable upstream's failures on and off. */
  public record Target(String gatewayUrl, String apiKey, String airtableGatewayUrl, String readBase, String readTable,
      String writeBase, String writeTable, Faults faults, McpSessions mcp) {}

  /** Switches failures of the Airtable upstream on and off (the emulator's fault injection). */
  public interface Faults {
    void failAll();

    void clear();
  }

  /** One MCP session through the gateway: initialize, list tools, call them. */
  @FunctionalInterface
  public interface McpSessions {
    void runSession() throws Exception;
  }

  /** When the scripted incident begins, counted from {@link #start()}. */
  public static final Duration INCIDENT_START = Duration.ofSeconds(20);

  /** How long the Airtable upstream fails during the scripted incident. */
  public static final Duration INCIDENT_LENGTH = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
  private static final String SOURCE = "demo-traffic";

  private final Target target;
  private final Duration faultsAfter;
  private final boolean incident;
  private final ExecutorService httpThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "demo-traffic-http");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().executor(httpThreads)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(42);
  private final ScheduledExecutorService scheduler;
  private final List<String> readIds = new ArrayList<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> startedAt = new AtomicReference<>();

  /**
   * @param target what to drive
   * @param faultsAfter when the fault window opens (it lasts 6 s, then repeats every 90 s)
   */
  public DemoTraffic(Target target, Duration faultsAfter) {
    this(target, faultsAfter, false);
  }

  /**
   * @param target what to drive
   * @param faultsAfter when the periodic fault windows begin (counted from a minute after the incident's end,
   *     when there is one, so the incident's alerts resolve before the next window)
   * @param incident whether to run the scripted incident
   */
  public DemoTraffic(Target target, Duration faultsAfter, boolean incident) {
    this.target = target;
    this.faultsAfter = incident
        ? faultsAfter.plus(INCIDENT_START).plus(INCIDENT_LENGTH).plus(Duration.ofMinutes(1)) : faultsAfter;
    this.incident = incident;
    this.scheduler = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, "demo-traffic");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts every scenario. */
  public DemoTraffic start() {
    startedAt.set(Instant.now());
    every("airtable_reads", 0, 1000, this::airtableReads);
    every("airtable_burst", 3000, 6000, this::airtableBurst);
    every("airtable_writes", 500, 2000, this::airtableWrites);
    every("airtable_list_all", 1500, 10000, this::airtableListAll);
    every("webhooks", 200, 3000, this::webhooks);
    every("auth_and_errors", 700, 4000, this::authAndErrors);
    every("llm_chat", 300, 2500, this::llmChat);
    if (target.mcp() != null) {
      every("mcp_session", 400, 3000, target.mcp()::runSession);
    }
    if (target.faults() != null) {
      if (incident) {
        scheduler.schedule(() -> {
          LOG.info("demo traffic: scripted incident, Airtable upstream failing for {} s", INCIDENT_LENGTH.toSeconds());
          target.faults().failAll();
        }, INCIDENT_START.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> {
          target.faults().clear();
          LOG.info("demo traffic: scripted incident over, Airtable upstream healthy again");
        }, INCIDENT_START.plus(INCIDENT_LENGTH).toMillis(), TimeUnit.MILLISECONDS);
      }
      scheduler.scheduleAtFixedRate(this::faultWindow, faultsAfter.toMillis(), 90_000, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Requests sent so far per scenario. */
  public Map<String, Long> counts() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  @FunctionalInterface
  private interface Scenario {
    void run() throws Exception;
  }

  private void every(String name, long initialDelayMillis, long periodMillis, Scenario scenario) {
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        scenario.run();
        counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("demo traffic scenario {} failed: {}", name, e.toString());
      }
    }, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  // --- Airtable ----------------------------------------------------------------------------------

  private String records(String base, String table) {
    return "/api/airtable/bases/" + base + "/tables/" + table + "/records";
  }

  private void airtableReads() throws Exception {
    int[] sizes = {10, 25, 50};
    HttpResponse<String> page = call("GET", records(target.readBase(), target.readTable()) + "?pageSize="
        + sizes[random.nextInt(sizes.length)], null, true);
    if (page.statusCode() == 200) {
      synchronized (readIds) {
        if (readIds.isEmpty()) {
          json.readTree(page.body()).path("records").forEach(r -> readIds.add(r.path("id").asText()));
        }
      }
    }
    String id;
    synchronized (readIds) {
      id = readIds.isEmpty() ? null : readIds.get(random.nextInt(readIds.size()));
    }
    if (id != null) {
      call("GET", records(target.readBase(), target.readTable()) + "/" + id, null, true);
    }
  }

  /**
   * Eight distinct uncached reads at once, straight to the Airtable gateway as a service inside the
   * platform would send them: more than the base's 5/s, so they queue and the limiter refuses the
   * sixth.
   */
  private void airtableBurst() {
    List<CompletableFuture<HttpResponse<Void>>> burst = new ArrayList<>();
    int salt = random.nextInt(1000);
    for (int i = 0; i < 8; i++) {
      URI uri = URI.create(target.airtableGatewayUrl() + "/bases/" + target.readBase() + "/tables/"
          + target.readTable() + "/records?maxRecords=" + (salt + i) + "&pageSize=5");
      burst.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding()));
    }
    burst.forEach(CompletableFuture::join);
  }

  private void airtableWrites() throws Exception {
    String path = records(target.writeBase(), target.writeTable());
    HttpResponse<String> created = call("POST", path,
        "{\"fields\":{\"Name\":\"Demo " + random.nextInt(10_000) + "\",\"Status\":\"Todo\"}}", true);
    if (created.statusCode() != 200) {
      return;
    }
    String id = json.readTree(created.body()).path("id").asText();
    call("PATCH", path + "/" + id, "{\"fields\":{\"Status\":\"Done\"}}", true);
    call("DELETE", path + "/" + id, null, true);
  }

  private void airtableListAll() throws Exception {
    call("GET", records(target.writeBase(), target.writeTable()) + "?all=true&pageSize=20", null, true);
  }

  // --- webhooks, authentication, errors -----------------------------------------------------------

  private void webhooks() throws Exception {
    String url = target.airtableGatewayUrl() + "/webhooks/airtable";
    String now = Instant.now().toString();
    post(url, "{\"base\":{\"id\":\"" + target.writeBase() + "\"},\"webhook\":{\"id\":\"achDemoWebhook0001\"},"
        + "\"timestamp\":\"" + now + "\"}");
    post(url, "{\"base\":{\"id\":\"" + target.writeBase() + "\"},\"payloads\":[{\"timestamp\":\"" + now
        + "\",\"baseTransactionNumber\":" + random.nextInt(1000) + ",\"changedTablesById\":{}}]}");
    post(url, "{\"base\":{\"id\":\"" + target.writeBase() + "\"},\"timestamp\":\"yesterday\"}");
  }

  private void authAndErrors() throws Exception {
    String health = records(target.readBase(), target.readTable()) + "?pageSize=10";
    send(request("GET", health, null, false).build());
    send(request("GET", health, null, false).header(ApiKeyAuthenticator.API_KEY_HEADER, "wrong-key").build());
    send(request("GET", health, null, false).header("Authorization", "Bearer " + target.apiKey()).build());
    call("GET", records(target.readBase(), target.readTable()) + "/not-a-record-id", null, true);
    call("GET", "/api/airtable/no/such/route", null, true);
    call("GET", "/api/llm/sessions/00000000-0000-0000-0000-000000000000", null, true);
  }

  // --- LLM ----------------------------------------------------------------------------------------

  private void llmChat() throws Exception {
    HttpResponse<String> session = call("POST", "/api/llm/sessions",
        "{\"sessionType\":\"" + (random.nextBoolean() ? "chat" : "airtable_assistant") + "\"}", true);
    if (session.statusCode() / 100 != 2) {
      return;
    }
    JsonNode s = json.readTree(session.body());
    String id = s.path("sessionId").asText(s.path("id").asText());
    String[] questions = {"Which customers signed up this week?", "Summarise the open projects by status.",
        "Draft a short follow-up email to the customers whose invoices are overdue, one line each."};
    int turns = 1 + random.nextInt(2);
    for (int i = 0; i < turns; i++) {
      call("POST", "/api/llm/sessions/" + id + "/messages",
          "{\"message\":\"" + questions[random.nextInt(questions.length)] + "\"}", true);
    }
    call("DELETE", "/api/llm/sessions/" + id, null, true);
  }

  // --- faults ---------------------------------------------------------------------------------------

  /** Six seconds of upstream failures: enough consecutive failures to open both breakers. */
  private void faultWindow() {
    LOG.info("demo traffic: Airtable upstream failing for 6 s (circuit breakers will open)");
    target.faults().failAll();
    try {
      TimeUnit.SECONDS.sleep(6);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      target.faults().clear();
      LOG.info("demo traffic: Airtable upstream healthy again");
    }
  }

  // --- HTTP -----------------------------------------------------------------------------------------

  private HttpRequest.Builder request(String method, String path, String body, boolean authenticated) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(30)).header(ApiGatewayService.SOURCE_HEADER, SOURCE);
    if (authenticated) {
      b.header(ApiKeyAuthenticator.API_KEY_HEADER, target.apiKey());
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpResponse<String> call(String method, String path, String body, boolean authenticated)
      throws IOException, InterruptedException {
    return send(request(method, path, body, authenticated).build());
  }

  private void post(String url, String body) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Stops every scenario (a fault window in progress is cleared). */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      httpThreads.shutdownNow();
    }
    if (target.faults() != null) {
      target.faults().clear();
    }
  }
}
