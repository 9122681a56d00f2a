package io.pyairtable.metrics.examples.llm;

import io.pyairtable.metrics.LlmOrchestratorMetrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import io.pyairtable.metrics.integrations.jdbc.QueryTimer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The chat logic of the LLM orchestrator: sessions live in the {@link ChatSessionStore}, each
 * message sends the whole conversation to Gemini through the {@link GeminiClient}. Records
 * {@code llm_active_sessions}, {@code llm_session_duration_seconds},
 * {@code llm_conversation_turns_total{session_type}}, {@code llm_message_length_chars} (input,
 * output) and {@code business_operations_total{operation_type="llm_chat_turn"}}. Failures are
 * {@link HttpStatusException}s with the status the HTTP layer should answer.
 *
 * <pre>{@code
 * ChatOrchestrator chat = new ChatOrchestrator(hikariDataSource, gemini, metrics);
 * chat.open();
 * ChatSessionStore.Session s = chat.createSession("chat", null);
 * ChatOrchestrator.TurnResult r = chat.sendMessage(s.id(), "Which customers are at risk?");
 * chat.endSession(s.id());
 * }</pre>
 */
public final class ChatOrchestrator {

  /** The session types accepted (a bounded label set). */
  public static final Set<String> SESSION_TYPES = Set.of("chat", "analysis", "airtable_assistant");
  /** Longest message accepted, in characters. */
  public static final int MAX_MESSAGE_CHARS = 100_000;

  /** The answer to one message. */
  public record TurnResult(String sessionId, String reply, String finishReason, GeminiClient.Usage usage,
      int turns) {}

  /** A session that ended. */
  public record Ended(ChatSessionStore.Session session, double durationSeconds) {}

  private final ChatSessionStore store;
  private final GeminiClient gemini;
  private final MetricsCollector collector;
  private final LlmOrchestratorMetrics llm;

  /** Chats kept in the {@code sessions} database, answered by {@code gemini}, recorded into {@code collector}. */
  public ChatOrchestrator(DataSource sessions, GeminiClient gemini, MetricsCollector collector) {
    this.store = new ChatSessionStore(sessions, new QueryTimer(collector));
    this.gemini = gemini;
    this.collector = collector;
    this.llm = collector.llmOrchestrator();
  }

  /** Creates the session tables when missing and sets {@code llm_active_sessions} to the sessions still open. */
  public void open() throws SQLException {
    store.migrate();
    llm.updateActiveSessions(store.countOpen());
  }

  public ChatSessionStore.Session createSession(String sessionType, String systemInstruction) throws SQLException {
    String type = sessionType == null ? "chat" : sessionType;
    if (!SESSION_TYPES.contains(type)) {
      throw HttpStatusException.badRequest("sessionType must be one of " + SESSION_TYPES);
    }
    ChatSessionStore.Session session = store.create(type, systemInstruction);
    llm.sessionStarted();
    return session;
  }

  public ChatSessionStore.Session session(String sessionId) throws SQLException {
    return store.find(sessionId).orElseThrow(() -> new HttpStatusException(404, "no session " + sessionId));
  }

  public List<ChatSessionStore.Message> messages(String sessionId) throws SQLException {
    session(sessionId);
    return store.messages(sessionId);
  }

  /** Sends a user message in an open session and stores the exchange. */
  public TurnResult sendMessage(String sessionId, String text) throws SQLException {
    return turn(sessionId, text, gemini::generate);
  }

  /**
   * As {@link #sendMessage}, with Gemini's answer streamed ({@code streamGenerateContent}): each
   * text part goes to {@code onText} as it arrives; the exchange is stored once the stream ended.
   */
  public TurnResult sendMessageStream(String sessionId, String text, Consumer<String> onText) throws SQLException {
    return turn(sessionId, text, (system, conversation) -> gemini.generateStream(system, conversation, onText));
  }

  private TurnResult turn(String sessionId, String text,
      BiFunction<String, List<GeminiClient.Turn>, GeminiClient.Reply> generate) throws SQLException {
    if (text == null || text.isBlank()) {
      throw HttpStatusException.badRequest("message must not be empty");
    }
    if (text.length() > MAX_MESSAGE_CHARS) {
      throw HttpStatusException.badRequest("message longer than " + MAX_MESSAGE_CHARS + " characters");
    }
    ChatSessionStore.Session session = session(sessionId);
    if (!session.open()) {
      throw new HttpStatusException(409, "session " + sessionId + " has ended");
    }
    long start = System.nanoTime();
    boolean success = false;
    try {
      List<GeminiClient.Turn> conversation = new ArrayList<>();
      for (ChatSessionStore.Message m : store.messages(sessionId)) {
        conversation.add(new GeminiClient.Turn(m.role(), m.text()));
      }
      conversation.add(new GeminiClient.Turn("user", text));
      llm.recordMessageLength("input", text.length());
      GeminiClient.Reply reply;
      try {
        reply = generate.apply(session.systemInstruction(), conversation);
      } catch (GeminiClient.GeminiException e) {
        throw asHttp(e);
      }
      llm.recordMessageLength("output", reply.text().length());
      store.appendTurn(sessionId, text, reply.text());
      llm.recordConversationTurn(session.sessionType());
      success = true;
      return new TurnResult(sessionId, reply.text(), reply.finishReason(), reply.usage(), session.turns() + 1);
    } finally {
      collector.recordBusinessOperation("llm_chat_turn", success, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Ends an open session and records its duration. */
  public Ended endSession(String sessionId) throws SQLException {
    ChatSessionStore.Session session = session(sessionId);
    if (!session.open()) {
      throw new HttpStatusException(409, "session " + sessionId + " has already ended");
    }
    ChatSessionStore.Session ended = store.end(sessionId)
        .orElseThrow(() -> new HttpStatusException(409, "session " + sessionId + " has already ended"));
    double seconds = Duration.between(ended.createdAt(), ended.endedAt() == null ? Instant.now() : ended.endedAt())
        .toNanos() / 1e9;
    llm.sessionEnded(Math.max(0, seconds));
    return new Ended(ended, Math.max(0, seconds));
  }

  private static HttpStatusException asHttp(GeminiClient.GeminiException e) {
    int status;
    if (e.status() == 429) {
      status = 429;
    } else if (e.status() == 503 && "CIRCUIT_OPEN".equals(e.errorStatus())) {
      status = 503;
    } else {
      status = 502;
    }
    return new HttpStatusException(status, "Gemini: " + e.errorStatus() + ": " + e.getMessage(), e);
  }
}
