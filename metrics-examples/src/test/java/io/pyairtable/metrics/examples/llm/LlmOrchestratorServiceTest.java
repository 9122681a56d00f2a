package io.pyairtable.metrics.examples.llm;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.emulator.GeminiEmulator;
import io.pyairtable.metrics.integrations.testing.Conditions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LlmOrchestratorServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gemini-2.5-flash";

  private final HttpClient http = HttpClient.newHttpClient();

  private static MetricsCollector collector() {
    return Metrics.builder(Map.of()).serviceName("llm-orchestrator").jvmMetrics(false).initialize();
  }

  @Test
  void tokenCountersEqualTheEmulatorsUsageSumsAndSessionsLiveInTheDatabase() throws Exception {
    MetricsCollector metrics = collector();
    try (GeminiEmulator gemini = GeminiEmulator.builder().latency(Duration.ZERO, Duration.ZERO)
        .resourceExhaustedProbability(0).retryDelay(Duration.ZERO).implicitCacheMinTokens(1).build().start();
        LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.builder().geminiBaseUrl(gemini.baseUrl())
            .model(MODEL).build(), metrics)) {
      String chat = call(llm, "POST", "/sessions", "{\"sessionType\":\"chat\"}").body.get("sessionId").asText();
      String analysis = call(llm, "POST", "/sessions",
          "{\"sessionType\":\"analysis\",\"systemInstruction\":\"You analyse Airtable bases.\"}")
          .body.get("sessionId").asText();
      for (String text : new String[] {"Which customers are at risk?", "Sort them by score", "Draft an email"}) {
        Reply r = call(llm, "POST", "/sessions/" + chat + "/messages", "{\"message\":\"" + text + "\"}");
        assertThat(r.status).isEqualTo(200);
      }
      gemini.exhaustNext(1);
      Reply retried = call(llm, "POST", "/sessions/" + analysis + "/messages", "{\"message\":\"Summarise Q3\"}");
      assertThat(retried.status).isEqualTo(200);
      assertThat(call(llm, "POST", "/sessions/" + analysis + "/messages", "{\"message\":\"And Q4?\"}").body
          .get("turns").asInt()).isEqualTo(2);
      Reply ended = call(llm, "DELETE", "/sessions/" + chat, null);
      assertThat(ended.body.get("turns").asInt()).isEqualTo(3);
      assertThat(call(llm, "POST", "/sessions/" + chat + "/messages", "{\"message\":\"late\"}").status).isEqualTo(409);
      assertThat(call(llm, "GET", "/sessions/nope", null).status).isEqualTo(404);

      GeminiEmulator.Usage sent = gemini.usage();
      assertThat(sent.cachedContentTokens()).isPositive();
      assertThat(sent.thoughtsTokens()).isPositive();
      Exposition s = Exposition.parse(metrics.exportMetrics());
      String tokens = GEMINI_TOKEN_USAGE_TOTAL.name();
      assertThat(s.value(tokens, "model", MODEL, "token_type", "input")).isEqualTo(sent.promptTokens());
      assertThat(s.value(tokens, "model", MODEL, "token_type", "output")).isEqualTo(sent.candidatesTokens());
      assertThat(s.value(tokens, "model", MODEL, "token_type", "cached")).isEqualTo(sent.cachedContentTokens());
      assertThat(s.value(tokens, "model", MODEL, "token_type", "thoughts")).isEqualTo(sent.thoughtsTokens());

      String requests = GEMINI_REQUESTS_TOTAL.name();
      assertThat(s.value(requests, "model", MODEL, "operation", "generateContent", "status_code", "200")).isEqualTo(5);
      assertThat(s.value(requests, "model", MODEL, "operation", "generateContent", "status_code", "429")).isEqualTo(1);
      assertThat(s.value(GEMINI_REQUEST_DURATION_SECONDS.count(), "model", MODEL)).isEqualTo(6);
      assertThat(s.value(LLM_ACTIVE_SESSIONS.name())).isEqualTo(1);
      assertThat(s.value(LLM_SESSION_DURATION_SECONDS.count())).isEqualTo(1);
      assertThat(s.value(LLM_CONVERSATION_TURNS_TOTAL.name(), "session_type", "chat")).isEqualTo(3);
      assertThat(s.value(LLM_CONVERSATION_TURNS_TOTAL.name(), "session_type", "analysis")).isEqualTo(2);
      assertThat(s.value(LLM_MESSAGE_LENGTH_CHARS.count(), "message_type", "input")).isEqualTo(5);
      assertThat(s.value(LLM_MESSAGE_LENGTH_CHARS.count(), "message_type", "output")).isEqualTo(5);

      double perToken = 1e-6;
      assertThat(s.value(LLM_ESTIMATED_COST_USD_TOTAL.name(), "model", MODEL, "token_type", "input"))
          .isCloseTo((sent.promptTokens() - sent.cachedContentTokens()) * 0.30 * perToken, within(1e-12));
      assertThat(s.value(LLM_ESTIMATED_COST_USD_TOTAL.name(), "model", MODEL, "token_type", "cached"))
          .isCloseTo(sent.cachedContentTokens() * 0.03 * perToken, within(1e-12));
      assertThat(s.value(LLM_ESTIMATED_COST_USD_TOTAL.name(), "model", MODEL, "token_type", "output"))
          .isCloseTo(sent.candidatesTokens() * 2.50 * perToken, within(1e-12));
      assertThat(s.value(LLM_ESTIMATED_COST_USD_TOTAL.name(), "model", MODEL, "token_type", "thoughts"))
          .isCloseTo(sent.thoughtsTokens() * 2.50 * perToken, within(1e-12));

      String pool = LlmOrchestratorService.POOL;
      assertThat(s.value(DATABASE_CONNECTIONS_MAX.name(), "pool", pool)).isEqualTo(5);
      assertThat(s.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "insert_session")).isEqualTo(2);
      assertThat(s.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "insert_message")).isEqualTo(10);
      assertThat(s.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "end_session")).isEqualTo(1);
      assertThat(s.value(BUSINESS_OPERATIONS_TOTAL.name(), "operation_type", "llm_chat_turn", "status", "success"))
          .isEqualTo(5);
      // the pool gauges follow Hikari's events and a 1 s refresh: wait until both have settled
      Conditions.await(Duration.ofSeconds(10), "the pool gauges settled (0 active, 5 idle)", () -> {
        Exposition now = Exposition.parse(metrics.exportMetrics());
        return now.value(DATABASE_CONNECTIONS_ACTIVE.name(), "pool", pool) == 0
            && now.value(DATABASE_CONNECTIONS_IDLE.name(), "pool", pool) == 5;
      });
      assertThat(Exposition.parse(metrics.exportMetrics()).value(DATABASE_CONNECTIONS_IDLE.name(), "pool",
          pool)).isEqualTo(5);

      try (Connection c = llm.dataSource().getConnection(); Statement st = c.createStatement()) {
        assertThat(count(st, "SELECT COUNT(*) FROM chat_sessions")).isEqualTo(2);
        assertThat(count(st, "SELECT COUNT(*) FROM chat_sessions WHERE ended_at IS NOT NULL")).isEqualTo(1);
        assertThat(count(st, "SELECT COUNT(*) FROM chat_messages")).isEqualTo(10);
      }
      JsonNode transcript = call(llm, "GET", "/sessions/" + chat, null).body;
      assertThat(transcript.get("messages")).hasSize(6);
      assertThat(transcript.at("/messages/0/text").asText()).isEqualTo("Which customers are at risk?");
      assertThat(transcript.at("/messages/1/role").asText()).isEqualTo("model");
    }
  }

  @Test
  void unreachableGeminiOpensTheBreakerAndAnswers503() throws Exception {
    MetricsCollector metrics = collector();
    String deadUrl;
    try (GeminiEmulator gone = GeminiEmulator.builder().build().start()) {
      deadUrl = gone.baseUrl();
    }
    try (LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.builder().geminiBaseUrl(deadUrl)
        .circuitBreaker(2, Duration.ofMinutes(5)).build(), metrics)) {
      String id = call(llm, "POST", "/sessions", "").body.get("sessionId").asText();
      assertThat(call(llm, "POST", "/sessions/" + id + "/messages", "{\"message\":\"hi\"}").status).isEqualTo(502);
      assertThat(call(llm, "POST", "/sessions/" + id + "/messages", "{\"message\":\"hi\"}").status).isEqualTo(502);
      assertThat(call(llm, "POST", "/sessions/" + id + "/messages", "{\"message\":\"hi\"}").status).isEqualTo(503);
      Exposition s = Exposition.parse(metrics.exportMetrics());
      assertThat(s.value(GEMINI_REQUESTS_TOTAL.name(), "status_code", "0")).isEqualTo(2);
      assertThat(s.value(CIRCUIT_BREAKER_STATE.name(), "circuit_name", "gemini", CIRCUIT_BREAKER_STATE.name(), "open"))
          .isEqualTo(1);
      assertThat(s.value(CIRCUIT_BREAKER_FAILURES_TOTAL.name(), "circuit_name", "gemini")).isEqualTo(2);
      assertThat(s.value(CIRCUIT_BREAKER_REJECTED_CALLS_TOTAL.name(), "circuit_name", "gemini")).isEqualTo(1);
      assertThat(s.value(BUSINESS_OPERATIONS_TOTAL.name(), "operation_type", "llm_chat_turn", "status", "failure"))
          .isEqualTo(3);
      assertThat(s.find(GEMINI_TOKEN_USAGE_TOTAL.name())).isEmpty();
    }
  }

  @Test
  void closeLeavesNoNonDaemonThreadsAndStopsTheEmbeddedDatabase() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    // the emulator is the launcher's (the demo closes its own after the services): the service only calls it
    GeminiEmulator gemini = GeminiEmulator.builder().build().start();
    LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.builder().geminiBaseUrl(gemini.baseUrl())
        .build(), collector());
    String id = call(llm, "POST", "/sessions", "").body.get("sessionId").asText();
    assertThat(call(llm, "POST", "/sessions/" + id + "/messages", "{\"message\":\"hello\"}").status)
        .isEqualTo(200);
    int port = llm.port();
    llm.close();
    gemini.close();
    Conditions.await(Duration.ofSeconds(10), "no new non-daemon thread left",
        () -> before.containsAll(nonDaemonThreads()));
    assertThat(nonDaemonThreads()).isSubsetOf(before);
    assertThat(reachable("http://127.0.0.1:" + port + "/health")).isFalse();
    assertThat(llm.dataSource().isClosed()).isTrue();
  }

  @Test
  void withoutAGeminiKeyOrBaseUrlTheServiceRefusesToStart() {
    assertThatThrownBy(() -> LlmOrchestratorService.start(
        LlmConfig.fromEnvironment(Map.of()).build(), collector()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no Gemini upstream: set GEMINI_API_KEY or GEMINI_BASE_URL");
  }

  private boolean reachable(String url) {
    try {
      http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }


  private static int count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private record Reply(int status, JsonNode body) {}

  private Reply call(LlmOrchestratorService llm, String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + llm.port() + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new Reply(response.statusCode(), json);
  }
}
