package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.HttpStatus;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import io.pyairtable.metrics.monitoring.promql.Selector;
import io.pyairtable.metrics.monitoring.rules.SloSeries;

/**
 * SLA monitoring: SLIs over the SLO period, error budget remaining and burn rates, read from the
 * SLO recording rules ({@link SloSeries}), next to the live non-5xx share and p95 latency.
 *
 * <pre>{@code
 * ObjectNode json = SlaDashboard.build().toJson();
 * }</pre>
 */
public final class SlaDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-sla";

  private static final Matcher SERVICE = Matcher.regex("service", "$service");

  private SlaDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    Promql q = panels.promql().scopedBy(HttpStatus.answered());
    String bad = q.sumRate(by("service"), HTTP_REQUESTS_TOTAL, HttpStatus.serverError());
    String all = q.sumRate(by("service"), HTTP_REQUESTS_TOTAL);
    return new Dashboard(UID, "PyAirtable SLA Monitoring",
        "Availability and latency SLOs: SLIs over the SLO period, error budget remaining and burn rates.")
        .tag("slo")
        .panel(Panel.stat("Availability over the SLO period",
                "Share of requests not answered with a 5xx over the SLO period (30 days by default), from the "
                    + "SLO recording rules.", "percentunit").width(8)
            .query(Query.instant("1 - " + recorded(SloSeries.PERIOD_ERROR_RATIO, "availability"), "{{service}}")))
        .panel(Panel.stat("Latency SLI over the SLO period",
                "Share of requests faster than the service's latency threshold over the SLO period, from the SLO "
                    + "recording rules.", "percentunit").width(8)
            .query(Query.instant("1 - " + recorded(SloSeries.PERIOD_ERROR_RATIO, "latency"), "{{service}}")))
        .panel(Panel.table("Objectives", "The objective of every SLO, by service and SLO.", "percentunit").width(8)
            .query(Query.instant(Selector.series(SloSeries.OBJECTIVE).and(SERVICE).toString(),
                "{{service}} {{slo}}")))
        .panel(Panel.gauge("Error budget remaining",
                "Share of the SLO period's error budget not yet spent: 1 untouched, 0 spent, below 0 overspent.",
                "percentunit").width(24).height(6).range(-1, 1).threshold(0, "red").threshold(0.25, "orange")
            .threshold(0.5, "green")
            .query(Query.instant(Selector.series(SloSeries.ERROR_BUDGET_REMAINING).and(SERVICE).toString(),
                "{{service}} {{slo}}")))
        .panel(Panel.timeseries("Burn rate, 1 hour",
                "How fast the error budget burns over the last hour: 1 spends it exactly over the SLO period; "
                    + "14.4 pages together with the 5-minute window.", "short")
            .threshold(6, "orange").threshold(14.4, "red")
            .query(Query.range(burnRate("1h"), "{{service}} {{slo}}")))
        .panel(Panel.timeseries("Burn rate, 6 hours",
                "How fast the error budget burns over the last 6 hours: above 6 pages together with the "
                    + "30-minute window, above 1 opens a ticket together with the 3-day window.", "short")
            .threshold(1, "orange").threshold(6, "red")
            .query(Query.range(burnRate("6h"), "{{service}} {{slo}}")))
        .panel(Panel.timeseries("Availability now",
                "Share of requests not answered with a 5xx, both sides summed by service before dividing; 1 for a "
                    + "service without 5xx, client aborts (499) left out.", "percentunit")
            .query(Query.range("1 - (" + q.ratioOrZero(by("service"), bad, all) + ")", "{{service}}")))
        .panel(Panel.timeseries("Request latency p95 against the 2 s alert threshold",
                HTTP_REQUEST_DURATION_SECONDS.help() + " p95 by service from aggregated buckets; HighLatency "
                    + "fires above 2 s for 5 minutes; client aborts (499) left out.", HTTP_REQUEST_DURATION_SECONDS.unit())
            .threshold(2, "red")
            .query(Query.range(q.quantile(0.95, by("service"), HTTP_REQUEST_DURATION_SECONDS), "{{service}}")));
  }

  private static String recorded(String series, String slo) {
    return Selector.series(series).and(SERVICE, Matcher.equal(SloSeries.SLO_LABEL, slo)).toString();
  }

  private static String burnRate(String window) {
    String ratio = Selector.series(SloSeries.errorRatio(window)).and(SERVICE).toString();
    String budget = "(1 - " + Selector.series(SloSeries.OBJECTIVE).and(SERVICE) + ")";
    return ratio + " / on (service, slo) " + budget;
  }
}
