package io.pyairtable.metrics.examples.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.server.TurnkeyService;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The LLM orchestrator service: chat sessions kept in a database through HikariCP (embedded H2 by
 * default) and answered by Gemini (its REST API at {@link LlmConfig#geminiUpstream()}: the real API,
 * or any compatible base URL such as the loopback {@code GeminiEmulator} the demo starts), on the
 * metrics-http turnkey service, so it has
 * {@code /metrics}, {@code /health} and the HTTP families too. See {@link ChatOrchestrator} and
 * {@link GeminiClient} for the LLM families, {@link SessionDatabase} for the pool and its gauges.
 *
 * <p>Routes: {@code POST /sessions} ({@code {"sessionType":"chat","systemInstruction":"..."}}, both
 * optional) 201; {@code GET /sessions/{sessionId}} (with its messages);
 * {@code POST /sessions/{sessionId}/messages} ({@code {"message":"..."}}) 200 with the reply and
 * its token usage; {@code DELETE /sessions/{sessionId}} ends it.
 *
 * <pre>{@code
 * try (LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.fromEnvironment(System.getenv())
 *     .port(8003).geminiBaseUrl(gemini.baseUrl()).build(), metrics)) {
 *   System.out.println("http://127.0.0.1:" + llm.port() + "/metrics");
 * }
 * }</pre>
 */
public final class LlmOrchestratorService extends TurnkeyService {

  /** The service's version label. */
  public static final String VERSION = "0.1.0";
  /** The HikariCP pool name, the {@code pool} label of the {@code database_*} gauges. */
  public static final String POOL = "llm-sessions";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SessionDatabase database;
  private final ChatOrchestrator chat;
  private final GeminiClient gemini;

  private LlmOrchestratorService(LlmConfig config, MetricsCollector collector) {
    super(collector, MetricGroup.LLM_ORCHESTRATOR, config.host());
    GeminiPriceTable prices = config.priceTablePath() == null ? GeminiPriceTable.bundled()
        : GeminiPriceTable.load(Path.of(config.priceTablePath()));
    String baseUrl = config.geminiUpstream().orElseThrow(() -> new IllegalArgumentException(
        "no Gemini upstream: set GEMINI_API_KEY or GEMINI_BASE_URL (the demo and serve start the emulator)"));
    this.gemini = new GeminiClient(baseUrl, config.geminiApiKey(), config.model(), prices, collector, config);

    this.database = new SessionDatabase(config, collector);
    this.chat = new ChatOrchestrator(database.dataSource(), gemini, collector);
    try {
      chat.open();
    } catch (SQLException | RuntimeException e) {
      close();
      throw new IllegalStateException("cannot prepare the session database: " + e.getMessage(), e);
    }
    String name = ServiceCatalog.LLM_ORCHESTRATOR.serviceName();
    app(turnkey(name, VERSION, 64, name + "-http").configure(this::routes));
  }

  /** Starts the service (and, by default, its embedded database), recording into {@code collector}. */
  public static LlmOrchestratorService start(LlmConfig config, MetricsCollector collector) {
    return listen(new LlmOrchestratorService(config, collector), config.port());
  }

  private void routes(JavalinConfig config) {
    config.routes.post("/sessions", this::createSession);
    config.routes.get("/sessions/{sessionId}", this::getSession);
    config.routes.post("/sessions/{sessionId}/messages", this::sendMessage);
    config.routes.post("/sessions/{sessionId}/messages/stream", this::streamMessage);
    config.routes.delete("/sessions/{sessionId}", this::endSession);
  }

  private void createSession(Context ctx) throws SQLException, IOException {
    JsonNode body = body(ctx, true);
    ChatSessionStore.Session s = chat.createSession(text(body, "sessionType"), text(body, "systemInstruction"));
    write(ctx, 201, sessionJson(s));
  }

  private void getSession(Context ctx) throws SQLException, IOException {
    String id = ctx.pathParam("sessionId");
    ObjectNode json = sessionJson(chat.session(id));
    ArrayNode messages = json.putArray("messages");
    for (ChatSessionStore.Message m : chat.messages(id)) {
      messages.addObject().put("seq", m.seq()).put("role", m.role()).put("text", m.text())
          .put("createdAt", m.createdAt().toString());
    }
    write(ctx, 200, json);
  }

  private void sendMessage(Context ctx) throws SQLException, IOException {
    JsonNode body = body(ctx, false);
    write(ctx, 200, turnJson(chat.sendMessage(ctx.pathParam("sessionId"), text(body, "message"))));
  }

  /**
   * The reply as server-sent events: {@code event: text} with {@code {"text":...}} for each part
   * Gemini streams, then {@code event: done} with the same body as the non-streaming answer.
   * Refusals before the first part (unknown or ended session, Gemini quota, breaker open) are the
   * usual JSON errors; a failure after it is an {@code event: error}.
   */
  private void streamMessage(Context ctx) throws SQLException, IOException {
    JsonNode body = body(ctx, false);
    SseWriter events = new SseWriter(ctx);
    ChatOrchestrator.TurnResult r;
    try {
      r = chat.sendMessageStream(ctx.pathParam("sessionId"), text(body, "message"),
          part -> events.send("text", MAPPER.createObjectNode().put("text", part)));
    } catch (RuntimeException e) {
      if (!events.started()) {
        throw e;
      }
      ObjectNode error = MAPPER.createObjectNode();
      error.putObject("error").put("type", "STREAM_FAILED").put("message", "the reply could not be completed");
      try {
        events.send("error", error);
      } catch (UncheckedIOException gone) {
        // the client left: nobody to tell
      }
      return;
    }
    events.send("done", turnJson(r));
  }

  private static ObjectNode turnJson(ChatOrchestrator.TurnResult r) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("sessionId", r.sessionId());
    json.put("reply", r.reply());
    json.put("finishReason", r.finishReason());
    json.put("turns", r.turns());
    json.putObject("usage").put("promptTokenCount", r.usage().promptTokens())
        .put("candidatesTokenCount", r.usage().candidatesTokens())
        .put("cachedContentTokenCount", r.usage().cachedTokens())
        .put("thoughtsTokenCount", r.usage().thoughtsTokens())
        .put("totalTokenCount", r.usage().totalTokens());
    return json;
  }

  private void endSession(Context ctx) throws SQLException, IOException {
    ChatOrchestrator.Ended ended = chat.endSession(ctx.pathParam("sessionId"));
    ObjectNode json = sessionJson(ended.session());
    json.put("durationSeconds", ended.durationSeconds());
    write(ctx, 200, json);
  }

  private static ObjectNode sessionJson(ChatSessionStore.Session s) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("sessionId", s.id());
    json.put("sessionType", s.sessionType());
    json.put("createdAt", s.createdAt().toString());
    json.put("endedAt", s.endedAt() == null ? null : s.endedAt().toString());
    json.put("turns", s.turns());
    return json;
  }

  private static JsonNode body(Context ctx, boolean optional) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0 && optional) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode json = MAPPER.readTree(bytes);
      if (json == null || !json.isObject()) {
        throw HttpStatusException.badRequest("the body must be a JSON object");
      }
      return json;
    } catch (IOException e) {
      throw HttpStatusException.badRequest("the body is not valid JSON");
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void write(Context ctx, int status, JsonNode json) throws IOException {
    ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(json));
  }

  /** The Gemini client (its circuit breaker included). */
  public GeminiClient gemini() {
    return gemini;
  }

  /** The session database's connection pool. */
  public HikariDataSource dataSource() {
    return database.dataSource();
  }

  /** Once HTTP has drained: stops the pool (and the embedded database). */
  @Override
  protected void release() {
    database.close();
  }
}
