package io.pyairtable.metrics.monitoring.grafana;

import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Panels for catalogue families, with the queries written once and right: counters as per-second
 * rates summed by the chosen labels, histograms as p50/p95/p99 from aggregated buckets, gauges
 * aggregated by the chosen labels. Descriptions start from the family's help text.
 *
 * <pre>{@code
 * CatalogPanels panels = new CatalogPanels(Promql.dashboard());
 * Panel p = panels.rate("Airtable calls", MetricCatalog.AIRTABLE_API_REQUESTS_TOTAL, "reqps", "operation", "status_code");
 * }</pre>
 */
public final class CatalogPanels {

  private final Promql q;

  public CatalogPanels(Promql q) {
    this.q = q;
  }

  /** The query builder the panels use. */
  public Promql promql() {
    return q;
  }

  /** Per-second rate of a counter, summed by {@code by}. */
  public Panel rate(String title, MetricDefinition counter, String unit, String... by) {
    List<String> labels = withService(by);
    return Panel.timeseries(title, counter.help() + " Per second, by " + String.join(", ", labels) + ".", unit)
        .query(Query.range(q.sumRate(labels, counter), legend(labels)));
  }

  /** Per-second rate of a counter restricted by {@code matcher}, summed by {@code by}. */
  public Panel rate(String title, MetricDefinition counter, Matcher matcher, String unit, String... by) {
    List<String> labels = withService(by);
    return Panel.timeseries(title, counter.help() + " Only " + matcher + ", per second, by "
            + String.join(", ", labels) + ".", unit)
        .query(Query.range(q.sumRate(labels, counter, matcher), legend(labels)));
  }

  /**
   * Per-second rate of a counter that only moves when something goes wrong (its series appear
   * with the first failure), summed by {@code by}, with an explicit 0 for every service that is
   * running and has none: "no errors" then reads differently from "no data".
   */
  public Panel rateOfFailures(String title, MetricDefinition counter, String unit, String... by) {
    List<String> labels = withService(by);
    String zeroPerService = "0 * " + q.gauge("max", List.of("service"), MetricCatalog.SERVICE_INFO);
    return Panel.timeseries(title, counter.help() + " Per second, by " + String.join(", ", labels)
            + "; 0 for a running service that has had none.", unit)
        .query(Query.range(q.sumRate(labels, counter) + "\nor on (service)\n" + zeroPerService, legend(labels)));
  }

  /** p50, p95 and p99 of a histogram, buckets summed by {@code le} and {@code by} first. */
  public Panel quantiles(String title, MetricDefinition histogram, String... by) {
    List<String> labels = withService(by);
    String legend = legend(labels);
    return Panel.timeseries(title, histogram.help() + " p50, p95 and p99 by " + String.join(", ", labels)
            + ", from buckets aggregated before the quantile.", histogram.unit())
        .query(Query.range(q.quantile(0.5, labels, histogram), "p50 " + legend))
        .query(Query.range(q.quantile(0.95, labels, histogram), "p95 " + legend))
        .query(Query.range(q.quantile(0.99, labels, histogram), "p99 " + legend));
  }

  /** The p95 of a histogram only, buckets summed by {@code le} and {@code by} first. */
  public Panel p95(String title, MetricDefinition histogram, String... by) {
    List<String> labels = withService(by);
    return Panel.timeseries(title, histogram.help() + " p95 by " + String.join(", ", labels)
            + ", from buckets aggregated before the quantile.", histogram.unit())
        .query(Query.range(q.quantile(0.95, labels, histogram), "p95 " + legend(labels)));
  }

  /** A gauge family aggregated with {@code aggregation} by {@code by}, over time. */
  public Panel gauge(String title, String aggregation, MetricDefinition gauge, String... by) {
    List<String> labels = withService(by);
    return Panel.timeseries(title, gauge.help() + " " + aggregation + " by " + String.join(", ", labels) + ".",
            gauge.unit())
        .query(Query.range(q.gauge(aggregation, labels, gauge), legend(labels)));
  }

  /** The state each entity of a state set is in now, as a table. */
  public Panel currentState(String title, MetricDefinition stateSet, String... by) {
    List<String> labels = withService(by);
    return Panel.table(title, stateSet.help() + " One row per " + String.join(", ", labels)
            + " with the state that is 1.", "short")
        .query(Query.instant(q.activeState(labels, stateSet), legend(labels)));
  }

  /** Legend text {@code {{a}} {{b}}} for the labels. */
  public static String legend(List<String> labels) {
    return labels.stream().map(l -> "{{" + l + "}}").collect(Collectors.joining(" "));
  }

  private static List<String> withService(String... by) {
    ArrayList<String> labels = new ArrayList<>();
    labels.add("service");
    for (String l : by) {
      if (!l.equals("service")) {
        labels.add(l);
      }
    }
    return labels;
  }
}
