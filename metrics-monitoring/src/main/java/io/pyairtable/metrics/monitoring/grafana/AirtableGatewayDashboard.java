package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;

/**
 * The Airtable gateway: Airtable Web API calls and latency, rate-limit hits and headroom, quota use,
 * queueing, the response cache, webhooks and the rate limiter's Redis fallback.
 *
 * <pre>{@code
 * ObjectNode json = AirtableGatewayDashboard.build().toJson();
 * }</pre>
 */
public final class AirtableGatewayDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-airtable-gateway";

  private AirtableGatewayDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    Promql q = panels.promql();
    Matcher hit = Matcher.equal("result", "hit");
    Matcher lookup = Matcher.regex("result", "hit|miss");
    return new Dashboard(UID, "PyAirtable Airtable Gateway",
        "Airtable Web API usage, latency, rate limits (5/s per base, 50/s per token), quotas and caching.")
        .tag("airtable")
        .panel(panels.rate("Airtable API calls", AIRTABLE_API_REQUESTS_TOTAL, "reqps", "operation", "status_code"))
        .panel(panels.quantiles("Airtable API latency", AIRTABLE_API_DURATION_SECONDS, "operation"))
        .panel(panels.rate("Rate-limit hits", AIRTABLE_RATE_LIMIT_HITS_TOTAL, "ops", "limit_type", "base_id"))
        .panel(panels.gauge("Rate-limit headroom", "min", AIRTABLE_RATE_LIMIT_REMAINING, "limit_type", "base_id"))
        .panel(panels.gauge("Quota usage", "max", AIRTABLE_API_QUOTA_USAGE, "quota_type", "base_id")
            .range(0, 100).threshold(80, "orange").threshold(95, "red"))
        .panel(panels.gauge("Queued requests", "sum", AIRTABLE_REQUEST_QUEUE_SIZE, "base_id"))
        .panel(Panel.timeseries("Response cache hit ratio",
                AIRTABLE_CACHE_OPERATIONS_TOTAL.help() + " Hits over hits plus misses, each summed by service first; 0 "
                    + "while every lookup misses.",
                "percentunit").range(0, 1)
            .query(Query.range(q.ratioOrZero(by("service"), q.sumRate(by("service"), AIRTABLE_CACHE_OPERATIONS_TOTAL, hit),
                q.sumRate(by("service"), AIRTABLE_CACHE_OPERATIONS_TOTAL, lookup)), "{{service}}")))
        .panel(panels.rate("Response cache operations", AIRTABLE_CACHE_OPERATIONS_TOTAL, "ops", "operation", "result"))
        .panel(panels.rate("Cache operations (all caches)", CACHE_OPERATIONS_TOTAL, "ops", "operation", "result"))
        .panel(panels.gauge("Cache hit ratio per instance (reported)", "max", CACHE_HIT_RATIO, "instance").range(0, 1)
            .threshold(0, "red").threshold(0.7, "green"))
        .panel(panels.rate("Webhook events", AIRTABLE_WEBHOOK_EVENTS_TOTAL, "ops", "event_type", "status"))
        .panel(panels.rate("Rate limiter fallbacks", AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL, "ops", "mode"))
        .panel(panels.rate("Requests dropped from the queue (503)", AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL, "ops",
            "reason"));
  }
}
