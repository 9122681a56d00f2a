package io.pyairtable.metrics.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricType;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;
import io.pyairtable.metrics.monitoring.rules.SloSeries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints Grafana dashboard JSON as exported: the file-provisioning shape, variables, the data source
 * variable on every panel and target, unit and description on every panel, the 24-column grid,
 * unique ids, counters only under rate/increase, and {@code $__rate_interval} as the only range.
 */
final class DashboardLint {

  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*(\\[[^\\]]*])?");
  private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "by", "on",
      "without", "ignoring", "group_left", "group_right", "rate", "increase", "histogram_quantile", "and", "or",
      "unless", "label_replace", "vector", "bool", "offset", "topk", "bottomk", "Inf", "NaN");

  private DashboardLint() {}

  static List<String> lint(JsonNode dashboard) {
    List<String> findings = new ArrayList<>();
    String uid = dashboard.path("uid").asText("");
    if (dashboard.has("dashboard")) {
      findings.add(uid + ": wrapped in {\"dashboard\": ...}; provisioning expects the dashboard itself");
    }
    if (uid.isBlank()) {
      findings.add("dashboard without uid");
    }
    Set<String> variables = new HashSet<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      variables.add(v.path("name").asText());
      if (v.path("name").asText().equals("datasource") && !v.path("type").asText().equals("datasource")) {
        findings.add(uid + ": variable datasource is not of type datasource");
      }
    }
    for (String required : List.of("datasource", "service", "instance")) {
      if (!variables.contains(required)) {
        findings.add(uid + ": no $" + required + " variable");
      }
    }
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : dashboard.path("panels")) {
      String where = uid + " / " + p.path("title").asText();
      if (!ids.add(p.path("id").asInt(-1))) {
        findings.add(where + ": duplicate panel id " + p.path("id"));
      }
      if (p.path("description").asText("").isBlank()) {
        findings.add(where + ": no description");
      }
      if (p.path("fieldConfig").path("defaults").path("unit").asText("").isBlank()) {
        findings.add(where + ": no unit");
      }
      if (!p.path("datasource").path("uid").asText().equals("${datasource}")) {
        findings.add(where + ": panel does not use the datasource variable");
      }
      JsonNode grid = p.path("gridPos");
      int x = grid.path("x").asInt(-1);
      int w = grid.path("w").asInt(0);
      if (x < 0 || w <= 0 || x + w > 24 || grid.path("h").asInt(0) <= 0) {
        findings.add(where + ": outside the 24-column grid " + grid);
      }
      if (p.path("targets").isEmpty()) {
        findings.add(where + ": no query");
      }
      for (JsonNode t : p.path("targets")) {
        if (!t.path("datasource").path("uid").asText().equals("${datasource}")) {
          findings.add(where + ": target " + t.path("refId").asText() + " does not use the datasource variable");
        }
        findings.addAll(lintExpr(where, t.path("expr").asText()));
      }
    }
    return findings;
  }

  static List<String> lintExpr(String where, String expr) {
    List<String> findings = new ArrayList<>();
    Matcher ranges = RANGE.matcher(expr);
    while (ranges.find()) {
      if (!ranges.group(1).equals("$__rate_interval")) {
        findings.add(where + ": range [" + ranges.group(1) + "] instead of [$__rate_interval]");
      }
    }
    String stripped = expr.replaceAll("\"[^\"]*\"", "\"\"");
    Matcher m = SELECTOR.matcher(stripped);
    while (m.find()) {
      String name = m.group(1);
      if (PROMQL_WORDS.contains(name) || name.matches("[0-9].*") || isLabelInBy(stripped, m.start())) {
        continue;
      }
      MetricDefinition family = familyOfSeries(name);
      if (family == null) {
        if (!name.equals(ScrapeJobs.UP) && !name.startsWith("slo:")) {
          findings.add(where + ": unknown series " + name);
        }
        if (name.startsWith("slo:") && !isSloSeries(name)) {
          findings.add(where + ": unknown recorded series " + name);
        }
        continue;
      }
      String selector = m.group(2) == null ? "" : m.group(2);
      if (!selector.contains("service=~\"\"") && !selector.contains("service=")) {
        findings.add(where + ": " + name + " not filtered by $service");
      }
      boolean cumulative = family.type() == MetricType.COUNTER || family.type() == MetricType.HISTOGRAM;
      if (cumulative) {
        String before = stripped.substring(0, m.start()).stripTrailing();
        if (!(before.endsWith("rate(") || before.endsWith("increase(")) || m.group(3) == null) {
          findings.add(where + ": " + name + " is cumulative but not under rate()/increase() over a range");
        }
      } else if (m.group(3) != null) {
        findings.add(where + ": gauge " + name + " used with a range");
      }
    }
    return findings;
  }

  /** The catalogue family a series belongs to ({@code x_bucket} belongs to histogram {@code x}). */
  static MetricDefinition familyOfSeries(String series) {
    for (MetricDefinition d : MetricCatalog.all()) {
      if (d.name().equals(series)) {
        return d;
      }
      if (d.type() == MetricType.HISTOGRAM
          && (series.equals(d.bucket()) || series.equals(d.count()) || series.equals(d.sum()))) {
        return d;
      }
    }
    return null;
  }

  private static boolean isSloSeries(String name) {
    if (name.equals(SloSeries.OBJECTIVE) || name.equals(SloSeries.ERROR_BUDGET_REMAINING)
        || name.equals(SloSeries.PERIOD_ERROR_RATIO)) {
      return true;
    }
    return SloSeries.SLI_WINDOWS.stream().anyMatch(w -> SloSeries.errorRatio(w).equals(name));
  }

  /** True when the identifier at {@code pos} sits inside a {@code by (...)} / {@code on (...)} list. */
  private static boolean isLabelInBy(String expr, int pos) {
    int open = expr.lastIndexOf('(', pos);
    int close = expr.lastIndexOf(')', pos);
    if (open < 0 || close > open) {
      return false;
    }
    String before = expr.substring(0, open).stripTrailing();
    return before.endsWith(" by") || before.endsWith(" on") || before.endsWith("without")
        || before.endsWith("ignoring") || before.endsWith("group_left") || before.endsWith("group_right");
  }
}
