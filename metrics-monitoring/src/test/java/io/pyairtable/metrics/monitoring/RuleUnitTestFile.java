package io.pyairtable.metrics.monitoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@code promtool test rules} file: input series, and for each alert the exact alerts
 * expected at an evaluation time, annotations expanded from the generated rule's own templates.
 */
final class RuleUnitTestFile {

  private static final Pattern LABEL = Pattern.compile("\\{\\{ \\$labels\\.([a-z_]+) }}");
  private static final Pattern VALUE = Pattern.compile("\\{\\{ \\$value(?: \\| [a-zA-Z]+)? }}");

  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ArrayNode tests;

  RuleUnitTestFile(List<String> ruleFiles, String evaluationInterval) {
    ArrayNode files = root.putArray("rule_files");
    ruleFiles.forEach(files::add);
    root.put("evaluation_interval", evaluationInterval);
    tests = root.putArray("tests");
  }

  Group group(String interval) {
    ObjectNode g = tests.addObject();
    g.put("interval", interval);
    return new Group(g);
  }

  ObjectNode toJson() {
    return root;
  }

  /** One test group: a shared set of input series and alert expectations. */
  static final class Group {
    private final ArrayNode series;
    private final ArrayNode alertTests;
    private final ArrayNode exprTests;

    Group(ObjectNode g) {
      series = g.putArray("input_series");
      alertTests = g.putArray("alert_rule_test");
      exprTests = g.putArray("promql_expr_test");
    }

    /**
     * Expects {@code expr} at {@code evalTime} to return exactly {@code samples} (series in
     * PromQL notation to value); none means an empty result.
     */
    Group expectQuery(String evalTime, String expr, Map<String, Double> samples) {
      ObjectNode t = exprTests.addObject();
      t.put("expr", expr);
      t.put("eval_time", evalTime);
      ArrayNode exp = t.putArray("exp_samples");
      samples.forEach((labels, value) -> exp.addObject().put("labels", labels).put("value", value));
      return this;
    }

    Group series(Object selector, String values) {
      series.addObject().put("series", selector.toString()).put("values", values);
      return this;
    }

    /** Expects exactly {@code alerts} of {@code alertName} to be firing at {@code evalTime}. */
    Group expect(String evalTime, String alertName, Expected... alerts) {
      ObjectNode t = alertTests.addObject();
      t.put("eval_time", evalTime);
      t.put("alertname", alertName);
      ArrayNode exp = t.putArray("exp_alerts");
      for (Expected e : alerts) {
        ObjectNode a = exp.addObject();
        ObjectNode labels = a.putObject("exp_labels");
        e.labels().forEach(labels::put);
        ObjectNode annotations = a.putObject("exp_annotations");
        e.annotations().forEach(annotations::put);
      }
      return this;
    }
  }

  /** An expected firing alert: its labels, and its annotations as Prometheus expands them. */
  record Expected(Map<String, String> labels, Map<String, String> annotations) {}

  /**
   * The alert {@code rule} firing with {@code seriesLabels} (the labels its expression returns)
   * and a value rendered as {@code renderedValue} by the template's humanize function.
   */
  static Expected firing(AlertRule rule, Map<String, String> seriesLabels, String renderedValue) {
    Map<String, String> labels = new TreeMap<>(seriesLabels);
    labels.putAll(rule.labels());
    Map<String, String> annotations = new LinkedHashMap<>();
    rule.annotations().forEach((k, template) -> annotations.put(k, expand(template, labels, renderedValue)));
    return new Expected(labels, annotations);
  }

  private static String expand(String template, Map<String, String> labels, String value) {
    Matcher m = LABEL.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = labels.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("template uses label " + m.group(1) + " the alert does not have");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return VALUE.matcher(out.toString()).replaceAll(Matcher.quoteReplacement(value));
  }
}
