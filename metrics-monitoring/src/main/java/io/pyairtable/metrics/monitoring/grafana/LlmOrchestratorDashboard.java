package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.Promql;

/**
 * The LLM orchestrator: Gemini calls, latency and tokens, estimated spend, chat sessions, turns and
 * message lengths.
 *
 * <pre>{@code
 * ObjectNode json = LlmOrchestratorDashboard.build().toJson();
 * }</pre>
 */
public final class LlmOrchestratorDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-llm-orchestrator";

  private LlmOrchestratorDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    Promql q = panels.promql();
    return new Dashboard(UID, "PyAirtable LLM Orchestrator",
        "Gemini API usage, latency, token consumption and spend, and chat sessions.")
        .tag("llm")
        .panel(panels.rate("Gemini calls", GEMINI_REQUESTS_TOTAL, "reqps", "model", "status_code"))
        .panel(panels.quantiles("Gemini latency", GEMINI_REQUEST_DURATION_SECONDS, "model"))
        .panel(panels.rate("Tokens per second", GEMINI_TOKEN_USAGE_TOTAL, "short", "model", "token_type"))
        .panel(Panel.timeseries("Estimated spend per hour",
                LLM_ESTIMATED_COST_USD_TOTAL.help() + " Per-second rate summed by service and model, times 3600.",
                "currencyUSD")
            .query(Query.range(q.sumRate(by("service", "model"), LLM_ESTIMATED_COST_USD_TOTAL) + " * 3600",
                "{{service}} {{model}}")))
        .panel(panels.gauge("Open sessions", "sum", LLM_ACTIVE_SESSIONS))
        .panel(panels.p95("Session duration", LLM_SESSION_DURATION_SECONDS))
        .panel(panels.rate("Conversation turns", LLM_CONVERSATION_TURNS_TOTAL, "ops", "session_type"))
        .panel(panels.p95("Message length", LLM_MESSAGE_LENGTH_CHARS, "message_type"));
  }
}
