package io.pyairtable.metrics.monitoring.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Prometheus alerting rule with its severity, a summary, a templated description and a runbook.
 *
 * <pre>{@code
 * AlertRule r = AlertRule.named("ServiceDown").expr("up == 0").forDuration("1m").severity("critical")
 *     .summary("{{ $labels.job }} is down").description("...").runbook("Check the pod logs.");
 * }</pre>
 */
public final class AlertRule {

  private final String name;
  private String expr;
  private String forDuration;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();

  private AlertRule(String name) {
    if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not an alert name: " + name);
    }
    this.name = name;
  }

  public static AlertRule named(String name) {
    return new AlertRule(name);
  }

  public AlertRule expr(String promql) {
    this.expr = promql;
    return this;
  }

  /** How long the condition must hold before the alert fires ({@code 1m}, {@code 5m}). */
  public AlertRule forDuration(String duration) {
    this.forDuration = duration;
    return this;
  }

  /** {@code critical} pages, {@code warning} opens a ticket. */
  public AlertRule severity(String severity) {
    if (!severity.equals("critical") && !severity.equals("warning")) {
      throw new IllegalArgumentException("severity must be critical or warning: " + severity);
    }
    return label("severity", severity);
  }

  public AlertRule label(String name, String value) {
    labels.put(name, value);
    return this;
  }

  public AlertRule summary(String text) {
    annotations.put("summary", text);
    return this;
  }

  /** A description, normally templated with {@code {{ $labels.x }}} and {@code {{ $value }}}. */
  public AlertRule description(String text) {
    annotations.put("description", text);
    return this;
  }

  /** What to check and do when the alert fires. */
  public AlertRule runbook(String text) {
    annotations.put("runbook", text);
    return this;
  }

  public String name() {
    return name;
  }

  public String expr() {
    return expr;
  }

  public Map<String, String> labels() {
    return Map.copyOf(labels);
  }

  public Map<String, String> annotations() {
    return Map.copyOf(annotations);
  }

  ObjectNode toJson() {
    Objects.requireNonNull(expr, () -> name + " has no expression");
    for (String required : new String[] {"summary", "description", "runbook"}) {
      if (!annotations.containsKey(required)) {
        throw new IllegalStateException(name + " has no " + required);
      }
    }
    if (!labels.containsKey("severity")) {
      throw new IllegalStateException(name + " has no severity");
    }
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("alert", name);
    r.put("expr", expr);
    if (forDuration != null) {
      r.put("for", forDuration);
    }
    ObjectNode l = r.putObject("labels");
    labels.forEach(l::put);
    ObjectNode a = r.putObject("annotations");
    annotations.forEach(a::put);
    return r;
  }
}
