package io.pyairtable.metrics.monitoring.grafana;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Prometheus target of a panel: the expression, its legend and whether it is an instant query
 * (tables, current state) or a range query (time series).
 *
 * <pre>{@code
 * Query q = Query.range("sum by (service) (rate(http_requests_total[$__rate_interval]))", "{{service}}");
 * }</pre>
 *
 * @param expr the PromQL expression, built with {@link io.pyairtable.metrics.monitoring.promql.Promql}
 * @param legend the legend format, {@code {{label}}} placeholders allowed
 * @param instant true for an instant query
 */
public record Query(String expr, String legend, boolean instant) {

  public Query {
    Objects.requireNonNull(expr, "expr");
    Objects.requireNonNull(legend, "legend");
  }

  /** A range query, drawn over time. */
  public static Query range(String expr, String legend) {
    return new Query(expr, legend, false);
  }

  /** An instant query, for tables and current values. */
  public static Query instant(String expr, String legend) {
    return new Query(expr, legend, true);
  }

  ObjectNode toJson(String refId) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("refId", refId);
    t.set("datasource", DatasourceRef.json());
    t.put("expr", expr);
    t.put("legendFormat", legend);
    t.put("range", !instant);
    t.put("instant", instant);
    if (instant) {
      t.put("format", "table");
    }
    t.put("editorMode", "code");
    return t;
  }
}
