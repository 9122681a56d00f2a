package io.pyairtable.metrics.monitoring.rules;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.HttpStatus;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import io.pyairtable.metrics.monitoring.promql.Selector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLO recording rules and multi-window multi-burn-rate alerts, one rule group per service. For
 * each SLO ({@code availability}, {@code latency}) it records the error ratio over 5m, 30m, 1h,
 * 2h, 6h, 1d, 3d and the whole period, the objective and the error budget remaining, then alerts
 * {@code <Slo>ErrorBudgetBurn} at severity critical (page) or warning (ticket) per
 * {@link BurnRateWindow#DEFAULTS}. Page and ticket share the alert name and the {@code service}
 * and {@code slo} labels, so Alertmanager's inhibition silences the ticket while the page fires.
 *
 * <pre>{@code
 * List<RuleGroup> groups = SloRules.groups(SloConfig.defaults());
 * }</pre>
 */
public final class SloRules {

  /** The availability SLO: share of answered requests (client aborts left out) not answered with a 5xx. */
  public static final String AVAILABILITY = "availability";

  /** The latency SLO: share of requests within the threshold. */
  public static final String LATENCY = "latency";

  private SloRules() {}

  /** One group per configured service. */
  public static List<RuleGroup> groups(SloConfig config) {
    return config.slos().stream().map(SloRules::group).toList();
  }

  /** The group {@code slo.<service>}: recording rules first, then the burn-rate alerts. */
  public static RuleGroup group(ServiceSlo slo) {
    RuleGroup g = new RuleGroup("slo." + slo.service());
    Matcher service = Matcher.equal("service", slo.service());
    for (String window : SloSeries.SLI_WINDOWS) {
      g.record(sli(slo, AVAILABILITY, window, SloSeries.errorRatio(window), Map.of()));
      g.record(sli(slo, LATENCY, window, SloSeries.errorRatio(window), Map.of()));
    }
    Map<String, String> periodLabel = Map.of("window", slo.period());
    g.record(sli(slo, AVAILABILITY, slo.period(), SloSeries.PERIOD_ERROR_RATIO, periodLabel));
    g.record(sli(slo, LATENCY, slo.period(), SloSeries.PERIOD_ERROR_RATIO, periodLabel));
    for (String name : List.of(AVAILABILITY, LATENCY)) {
      BigDecimal objective = objective(slo, name);
      g.record(new RecordingRule(SloSeries.OBJECTIVE, "vector(" + objective.toPlainString() + ")",
          labels("service", slo.service(), SloSeries.SLO_LABEL, name)));
      String periodRatio = Selector.series(SloSeries.PERIOD_ERROR_RATIO)
          .and(service, Matcher.equal(SloSeries.SLO_LABEL, name)).toString();
      g.record(new RecordingRule(SloSeries.ERROR_BUDGET_REMAINING,
          "1 - " + periodRatio + " / " + budget(objective).toPlainString(),
          labels("service", slo.service(), SloSeries.SLO_LABEL, name)));
    }
    g.alert(burnAlert(slo, AVAILABILITY, "critical")).alert(burnAlert(slo, AVAILABILITY, "warning"));
    g.alert(burnAlert(slo, LATENCY, "critical")).alert(burnAlert(slo, LATENCY, "warning"));
    return g;
  }

  /** The alert name of an SLO: {@code AvailabilityErrorBudgetBurn}, {@code LatencyErrorBudgetBurn}. */
  public static String alertName(String sloName) {
    return Character.toUpperCase(sloName.charAt(0)) + sloName.substring(1) + "ErrorBudgetBurn";
  }

  private static RecordingRule sli(ServiceSlo slo, String name, String window, String record,
      Map<String, String> extra) {
    // Client aborts (499) are neither good nor bad events: they leave both sides of every SLI.
    Promql q = Promql.over(window).scopedBy(Matcher.equal("service", slo.service())).scopedBy(HttpStatus.answered());
    String expr;
    if (name.equals(AVAILABILITY)) {
      expr = q.ratioOrZero(by("service"), q.sumRate(by("service"), HTTP_REQUESTS_TOTAL, HttpStatus.serverError()),
          q.sumRate(by("service"), HTTP_REQUESTS_TOTAL));
    } else {
      expr = "1 - (" + q.ratio(by("service"),
          q.sumBucketRate(by("service"), HTTP_REQUEST_DURATION_SECONDS, slo.latencyThresholdSeconds()),
          q.sumCountRate(by("service"), HTTP_REQUEST_DURATION_SECONDS)) + ")";
    }
    Map<String, String> labels = labels("service", slo.service(), SloSeries.SLO_LABEL, name);
    labels.putAll(extra);
    return new RecordingRule(record, expr, labels);
  }

  private static AlertRule burnAlert(ServiceSlo slo, String name, String severity) {
    BigDecimal budget = budget(objective(slo, name));
    List<String> conditions = new ArrayList<>();
    List<String> described = new ArrayList<>();
    for (BurnRateWindow w : BurnRateWindow.DEFAULTS) {
      if (!w.severity().equals(severity)) {
        continue;
      }
      String threshold = "(" + w.factor(slo.periodHours()).toPlainString() + " * " + budget.toPlainString() + ")";
      conditions.add("(" + ratio(slo, name, w.shortWindow()) + " > " + threshold + "\nand\n"
          + ratio(slo, name, w.longWindow()) + " > " + threshold + ")");
      described.add(w.factor(slo.periodHours()).toPlainString() + "x over " + w.longWindow() + " and "
          + w.shortWindow());
    }
    String what = name.equals(AVAILABILITY)
        ? "answered with a 5xx"
        : "slower than " + Promql.number(slo.latencyThresholdSeconds()) + "s";
    String page = severity.equals("critical") ? "page" : "ticket";
    return AlertRule.named(alertName(name))
        .expr(String.join("\nor\n", conditions))
        .severity(severity)
        .label("service", slo.service())
        .label(SloSeries.SLO_LABEL, name)
        .summary("{{ $labels.service }} is burning its " + name + " error budget too fast (" + page + ")")
        .description("{{ $value | humanizePercentage }} of the requests to {{ $labels.service }} were " + what
            + " over the short window; the objective allows " + budget.movePointRight(2).toPlainString()
            + "% over " + slo.period() + ". Thresholds: " + String.join("; ", described) + ".")
        .runbook("Open the SLA Monitoring dashboard for {{ $labels.service }}: the burn-rate panels show which "
            + "window is hot and 'Error budget remaining' how much is left. Then find the cause on the "
            + "service's own dashboard (errors by type, upstream latency) and roll back or mitigate; a page "
            + "means the budget is gone within days at this rate.");
  }

  private static String ratio(ServiceSlo slo, String name, String window) {
    return Selector.series(SloSeries.errorRatio(window))
        .and(Matcher.equal("service", slo.service()), Matcher.equal(SloSeries.SLO_LABEL, name)).toString();
  }

  private static BigDecimal objective(ServiceSlo slo, String name) {
    double o = name.equals(AVAILABILITY) ? slo.availabilityObjective() : slo.latencyObjective();
    return new BigDecimal(Double.toString(o)).stripTrailingZeros();
  }

  private static BigDecimal budget(BigDecimal objective) {
    return BigDecimal.ONE.subtract(objective).stripTrailingZeros();
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
