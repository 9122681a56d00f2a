package io.pyairtable.metrics.examples.monitoring;

import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.grafana.Panel;
import io.pyairtable.metrics.monitoring.grafana.Query;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import io.pyairtable.metrics.monitoring.rules.RecordingRule;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PromQL the generated monitoring runs, for the live tests that evaluate it against a real
 * Prometheus: every dashboard panel target with Grafana's variables substituted, and every
 * alert and recording rule expression.
 *
 * <pre>{@code
 * Map<String, Query> panels = GeneratedQueries.panels(Dashboards.all(), GeneratedQueries.ALL_SERVICES);
 * Query q = panels.get("pyairtable-overview / Targets up / A");   // q.expr(), q.legend()
 * Map<String, String> rules = GeneratedQueries.rules(export);     // "group / name{labels}" -> expr
 * }</pre>
 */
public final class GeneratedQueries {

  /** Grafana's variables as a dashboard showing every service and instance sets them. */
  public static final Map<String, String> ALL_SERVICES = Map.of(
      "$service", ".*", "$instance", ".*", "$__rate_interval", "1m");

  private GeneratedQueries() {
  }

  /** Every target of every panel, keyed {@code dashboard uid / panel title / refId}, {@code variables} substituted. */
  public static Map<String, Query> panels(List<Dashboard> dashboards, Map<String, String> variables) {
    Map<String, Query> queries = new LinkedHashMap<>();
    for (Dashboard d : dashboards) {
      for (Panel p : d.panels()) {
        List<Query> targets = p.queries();
        for (int i = 0; i < targets.size(); i++) {
          Query target = targets.get(i);
          String expr = target.expr();
          for (Map.Entry<String, String> v : variables.entrySet()) {
            expr = expr.replace(v.getKey(), v.getValue());
          }
          queries.put(d.uid() + " / " + p.title() + " / " + (char) ('A' + i),
              new Query(expr, target.legend(), target.instant()));
        }
      }
    }
    return queries;
  }

  /** The expressions of {@link #panels}, for every service and instance of the default dashboards. */
  public static Map<String, String> panelExpressions() {
    Map<String, String> exprs = new LinkedHashMap<>();
    panels(Dashboards.all(), ALL_SERVICES).forEach((key, q) -> exprs.put(key, q.expr()));
    return exprs;
  }

  /** Every alert and recording rule expression, keyed {@code group / name{labels}}. */
  public static Map<String, String> rules(MonitoringExport export) {
    Map<String, String> exprs = new LinkedHashMap<>();
    List<RuleGroup> groups = new ArrayList<>();
    groups.add(export.alertGroup());
    groups.addAll(export.sloGroups());
    for (RuleGroup g : groups) {
      for (RecordingRule r : g.recordings()) {
        exprs.put(g.name() + " / " + r.record() + r.labels(), r.expr());
      }
      for (AlertRule a : g.alerts()) {
        exprs.put(g.name() + " / " + a.name() + a.labels(), a.expr());
      }
    }
    return exprs;
  }
}
