package io.pyairtable.metrics.monitoring.grafana;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Prometheus data source reference every dashboard variable, panel and target carries: it
 * points at the dashboard's {@code datasource} variable, so the data source is picked in Grafana.
 *
 * <pre>{@code
 * panel.set("datasource", DatasourceRef.json()); // {"type":"prometheus","uid":"${datasource}"}
 * }</pre>
 */
final class DatasourceRef {

  /** The name of the data source variable every panel and target reads. */
  static final String VARIABLE = "datasource";

  private DatasourceRef() {}

  /** A fresh {@code {"type": "prometheus", "uid": "${datasource}"}} node. */
  static ObjectNode json() {
    ObjectNode ds = JsonNodeFactory.instance.objectNode();
    ds.put("type", "prometheus");
    ds.put("uid", "${" + VARIABLE + "}");
    return ds;
  }
}
