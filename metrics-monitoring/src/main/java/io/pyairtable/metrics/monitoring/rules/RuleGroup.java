package io.pyairtable.metrics.monitoring.rules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A named group of recording and alerting rules, evaluated together in order, so recording rules
 * placed before the alerts that read them are fresh when the alerts are evaluated.
 *
 * <pre>{@code
 * RuleGroup g = new RuleGroup("pyairtable.alerts").alert(serviceDown).alert(highErrorRate);
 * }</pre>
 */
public final class RuleGroup {

  private final String name;
  private final List<RecordingRule> recordings = new ArrayList<>();
  private final List<AlertRule> alerts = new ArrayList<>();

  public RuleGroup(String name) {
    this.name = name;
  }

  public RuleGroup record(RecordingRule rule) {
    recordings.add(rule);
    return this;
  }

  public RuleGroup alert(AlertRule rule) {
    alerts.add(rule);
    return this;
  }

  public String name() {
    return name;
  }

  public List<RecordingRule> recordings() {
    return List.copyOf(recordings);
  }

  public List<AlertRule> alerts() {
    return List.copyOf(alerts);
  }

  /** The group as Prometheus' rule-file YAML represents it: recording rules first, then alerts. */
  public ObjectNode toJson() {
    ObjectNode g = JsonNodeFactory.instance.objectNode();
    g.put("name", name);
    ArrayNode rules = g.putArray("rules");
    recordings.forEach(r -> rules.add(r.toJson()));
    alerts.forEach(a -> rules.add(a.toJson()));
    return g;
  }

  /** A rule file ({@code groups: [...]}) holding {@code groups}. */
  public static ObjectNode ruleFile(List<RuleGroup> groups) {
    ObjectNode file = JsonNodeFactory.instance.objectNode();
    ArrayNode array = file.putArray("groups");
    groups.forEach(g -> array.add(g.toJson()));
    return file;
  }
}
