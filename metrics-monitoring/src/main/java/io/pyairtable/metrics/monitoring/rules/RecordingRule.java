package io.pyairtable.metrics.monitoring.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Prometheus recording rule: a series name, its expression and labels added to the result.
 *
 * <pre>{@code
 * RecordingRule r = new RecordingRule("slo:sli_error:ratio_rate5m", expr, Map.of("slo", "availability"));
 * }</pre>
 *
 * @param record the recorded series name (level:metric:operations)
 * @param expr the PromQL expression
 * @param labels labels added to every result series
 */
public record RecordingRule(String record, String expr, Map<String, String> labels) {

  public RecordingRule {
    if (!record.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("not a series name: " + record);
    }
    labels = new LinkedHashMap<>(labels);
  }

  ObjectNode toJson() {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("record", record);
    r.put("expr", expr);
    if (!labels.isEmpty()) {
      ObjectNode l = r.putObject("labels");
      labels.forEach(l::put);
    }
    return r;
  }
}
