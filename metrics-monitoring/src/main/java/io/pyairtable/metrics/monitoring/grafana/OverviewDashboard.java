package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.HttpStatus;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;

/**
 * The system-wide dashboard: target health, request rate, 5xx share, latency, errors, requests in
 * flight, business operations, payload sizes and the running versions of every service.
 *
 * <pre>{@code
 * ObjectNode json = OverviewDashboard.build().toJson();
 * }</pre>
 */
public final class OverviewDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-overview";

  private OverviewDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    Promql q = panels.promql();
    String up = ScrapeJobs.up(Matcher.regex("job", ScrapeJobs.jobsOfServiceVariable()),
        Matcher.regex("instance", "$instance")).toString();
    Promql answered = q.scopedBy(HttpStatus.answered());
    String fiveXx = answered.sumRate(by("service"), HTTP_REQUESTS_TOTAL, HttpStatus.serverError());
    String all = answered.sumRate(by("service"), HTTP_REQUESTS_TOTAL);
    return new Dashboard(UID, "PyAirtable Overview",
        "System-wide health of the PyAirtable services: availability, traffic, errors and latency.")
        .tag("overview")
        .panel(Panel.stat("Targets up", "Scrape targets of the selected services whose last scrape succeeded.",
                "short").query(Query.instant("sum(" + up + ")", "up")))
        .panel(Panel.stat("Request rate", "All HTTP requests per second across the selected services.", "reqps")
            .query(Query.instant(q.sumRate(by(), HTTP_REQUESTS_TOTAL), "requests/s")))
        .panel(Panel.stat("5xx share", "Share of HTTP requests answered with a 5xx status, all selected services; "
                + "client aborts (499) left out.", "percentunit")
            .threshold(0.01, "orange").threshold(0.1, "red")
            .query(Query.instant(answered.ratioOrZero(by(),
                answered.sumRate(by(), HTTP_REQUESTS_TOTAL, HttpStatus.serverError()),
                answered.sumRate(by(), HTTP_REQUESTS_TOTAL)), "5xx share")))
        .panel(Panel.stat("In flight", "HTTP requests being handled right now.", ACTIVE_CONNECTIONS.unit())
            .query(Query.instant(q.gauge("sum", by(), ACTIVE_CONNECTIONS), "in flight")))
        .panel(Panel.timeseries("Target health", "1 when Prometheus' last scrape of the target succeeded, 0 when not.",
                "short").range(0, 1)
            .query(Query.range(up, "{{job}} {{instance}}")))
        .panel(panels.rate("Request rate by service", HTTP_REQUESTS_TOTAL, "reqps"))
        .panel(Panel.timeseries("5xx share by service",
                "Share of HTTP requests answered with a 5xx status; numerator and denominator summed by service "
                    + "before dividing, 0 for a service without 5xx, client aborts (499) left out.", "percentunit")
            .threshold(0.1, "red")
            .query(Query.range(answered.ratioOrZero(by("service"), fiveXx, all), "{{service}}")))
        .panel(new CatalogPanels(answered).quantiles("Request latency", HTTP_REQUEST_DURATION_SECONDS))
        .panel(panels.rate("Errors by type", ERRORS_TOTAL, "ops", "error_type"))
        .panel(panels.gauge("Requests in flight", "sum", ACTIVE_CONNECTIONS))
        .panel(panels.rate("Business operations", BUSINESS_OPERATIONS_TOTAL, "ops", "operation_type", "status"))
        .panel(panels.p95("Business operation duration", BUSINESS_OPERATION_DURATION_SECONDS, "operation_type"))
        .panel(panels.p95("Request body size", HTTP_REQUEST_SIZE_BYTES))
        .panel(panels.p95("Response body size", HTTP_RESPONSE_SIZE_BYTES))
        .panel(Panel.table("Running versions", SERVICE_INFO.help() + " One row per service, version and instance.",
                "short").width(24)
            .query(Query.instant(q.gauge("max", by("service", "version", "instance"), SERVICE_INFO),
                "{{service}} {{version}} {{instance}}")));
  }
}
