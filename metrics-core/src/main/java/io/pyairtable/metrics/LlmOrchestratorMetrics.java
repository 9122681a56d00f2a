package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.Observations;

/**
 * Metrics of the LLM orchestrator: Gemini calls and tokens, chat sessions, turns, message
 * lengths and estimated spend.
 *
 * <pre>{@code
 * LlmOrchestratorMetrics llm = collector.llmOrchestrator();
 * llm.sessionStarted();
 * llm.recordGeminiRequest("gemini-2.5-flash", "generateContent", 200, 1.2);
 * llm.recordTokenUsage("gemini-2.5-flash", 120, 48, 0, 12);
 * llm.sessionEnded(312.0);
 * }</pre>
 */
public final class LlmOrchestratorMetrics extends DomainRecorder {

  private final MetricFamily<CounterDataPoint> requests;
  private final MetricFamily<DistributionDataPoint> duration;
  private final MetricFamily<CounterDataPoint> tokens;
  private final MetricFamily<GaugeDataPoint> activeSessions;
  private final MetricFamily<DistributionDataPoint> sessionDuration;
  private final MetricFamily<CounterDataPoint> turns;
  private final MetricFamily<DistributionDataPoint> messageLength;
  private final MetricFamily<CounterDataPoint> cost;

  LlmOrchestratorMetrics(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    super(registry, enabled, failures);
    requests = registry.family(GEMINI_REQUESTS_TOTAL);
    duration = registry.family(GEMINI_REQUEST_DURATION_SECONDS);
    tokens = registry.family(GEMINI_TOKEN_USAGE_TOTAL);
    activeSessions = registry.family(LLM_ACTIVE_SESSIONS);
    sessionDuration = registry.family(LLM_SESSION_DURATION_SECONDS);
    turns = registry.family(LLM_CONVERSATION_TURNS_TOTAL);
    messageLength = registry.family(LLM_MESSAGE_LENGTH_CHARS);
    cost = registry.family(LLM_ESTIMATED_COST_USD_TOTAL);
  }

  /** One Gemini API call. */
  public void recordGeminiRequest(String model, String operation, int statusCode, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      requests.labels(model, operation, LabelSanitizer.statusCode(statusCode)).inc();
      duration.labels(model, operation).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_gemini_request", e);
    }
  }

  /** Tokens of one call, as Gemini's {@code usageMetadata} reports them; zero counts add nothing. */
  public void recordTokenUsage(String model, long input, long output, long cached, long thoughts) {
    if (!enabled) {
      return;
    }
    try {
      addTokens(model, "input", input);
      addTokens(model, "output", output);
      addTokens(model, "cached", cached);
      addTokens(model, "thoughts", thoughts);
    } catch (RuntimeException e) {
      failures.contain("record_token_usage", e);
    }
  }

  private void addTokens(String model, String type, long count) {
    CounterDataPoint point = tokens.labels(model, type);
    if (count > 0) {
      point.inc(count);
    } else if (count < 0) {
      throw new IllegalArgumentException(type + " token count must be >= 0, was " + count);
    }
  }

  /** A chat session started. */
  public void sessionStarted() {
    if (enabled) {
      activeSessions.labels().inc();
    }
  }

  /** A chat session ended after {@code durationSeconds}. */
  public void sessionEnded(double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      activeSessions.labels().dec();
      sessionDuration.labels().observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("session_ended", e);
    }
  }

  /** Sets the open-session count (for orchestrators that know it, such as after a restart). */
  public void updateActiveSessions(int count) {
    if (!enabled) {
      return;
    }
    try {
      activeSessions.labels().set(Observations.nonNegative("active sessions", count));
    } catch (RuntimeException e) {
      failures.contain("update_active_sessions", e);
    }
  }

  /** One conversation turn in a session of {@code sessionType} (chat, analysis, ...). */
  public void recordConversationTurn(String sessionType) {
    if (!enabled) {
      return;
    }
    try {
      turns.labels(sessionType).inc();
    } catch (RuntimeException e) {
      failures.contain("record_conversation_turn", e);
    }
  }

  /** The length of a message in characters; {@code messageType} is input or output. */
  public void recordMessageLength(String messageType, long chars) {
    if (!enabled) {
      return;
    }
    try {
      messageLength.labels(messageType).observe(Observations.nonNegative("message length", chars));
    } catch (RuntimeException e) {
      failures.contain("record_message_length", e);
    }
  }

  /** Estimated spend in US dollars for tokens of a type. */
  public void recordEstimatedCost(String model, String tokenType, double usd) {
    if (!enabled) {
      return;
    }
    try {
      cost.labels(model, tokenType).inc(Observations.nonNegative("cost", usd));
    } catch (RuntimeException e) {
      failures.contain("record_estimated_cost", e);
    }
  }
}
