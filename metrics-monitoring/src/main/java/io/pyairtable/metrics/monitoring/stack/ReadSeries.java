package io.pyairtable.metrics.monitoring.stack;

import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricType;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Panel;
import io.pyairtable.metrics.monitoring.grafana.Query;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import io.pyairtable.metrics.monitoring.rules.RecordingRule;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series the generated dashboards and rules read, which is what {@code remote_write} keeps:
 * every catalogue family one of their expressions reads (all parts of a histogram), {@code up},
 * and the recording-rule outputs a dashboard or an alert reads. Derived from the expressions
 * themselves, so a family renamed in the catalogue moves the keep list with it, and a name no
 * expression can resolve (typed by hand, or renamed on one side only) fails the export.
 *
 * <pre>{@code
 * Set<String> keep = ReadSeries.of(Dashboards.all(), rules);
 * // [airtable_api_calls_total, ..., slo:objective:ratio, ..., up]
 * }</pre>
 */
public final class ReadSeries {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "and", "or", "unless", "bool", "offset", "Inf", "NaN", "inf", "nan");

  private ReadSeries() {}

  /** The series to keep for these dashboards and rule groups, sorted. */
  public static Set<String> of(Collection<Dashboard> dashboards, Collection<RuleGroup> groups) {
    Map<String, String> exprs = new LinkedHashMap<>();
    Set<String> recorded = new TreeSet<>();
    Map<String, String> readers = new LinkedHashMap<>();
    for (Dashboard d : dashboards) {
      for (Panel p : d.panels()) {
        for (Query q : p.queries()) {
          String where = d.uid() + " / " + p.title() + ": " + q.expr();
          exprs.put(where, q.expr());
          readers.put(where, q.expr());
        }
      }
    }
    for (RuleGroup g : groups) {
      for (RecordingRule r : g.recordings()) {
        recorded.add(r.record());
        exprs.put(g.name() + " / " + r.record() + ": " + r.expr(), r.expr());
      }
      for (AlertRule a : g.alerts()) {
        String where = g.name() + " / " + a.name() + ": " + a.expr();
        exprs.put(where, a.expr());
        readers.put(where, a.expr());
      }
    }
    Map<String, MetricDefinition> families = catalogueSeries();
    Set<String> keep = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> e : exprs.entrySet()) {
      for (String name : names(e.getValue())) {
        MetricDefinition family = families.get(name);
        if (family != null) {
          keep.addAll(seriesOf(family));
        } else if (name.equals(ScrapeJobs.UP)) {
          keep.add(name);
        } else if (recorded.contains(name)) {
          if (readers.containsKey(e.getKey())) {
            keep.add(name);
          }
        } else {
          unknown.add(name + " in " + e.getKey());
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("expressions read series that are neither in the metric catalogue "
          + "nor recorded by a rule: " + unknown);
    }
    return keep;
  }

  /** The series names an expression selects (function names, keywords, labels and ranges left out). */
  public static Set<String> names(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = BRACES.matcher(s).replaceAll("{}");
    s = RANGE.matcher(s).replaceAll("[]");
    s = GROUPING.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      if (m.group(2) == null && !KEYWORDS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  private static Map<String, MetricDefinition> catalogueSeries() {
    Map<String, MetricDefinition> bySeries = new LinkedHashMap<>();
    for (MetricDefinition d : MetricCatalog.all()) {
      seriesOf(d).forEach(series -> bySeries.put(series, d));
    }
    return bySeries;
  }

  private static List<String> seriesOf(MetricDefinition d) {
    return d.type() == MetricType.HISTOGRAM ? List.of(d.bucket(), d.count(), d.sum()) : List.of(d.name());
  }
}
