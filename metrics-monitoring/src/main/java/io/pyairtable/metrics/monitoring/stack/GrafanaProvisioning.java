package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Grafana provisioning: the Prometheus data source with a fixed uid (the dashboards' default) and
 * a file provider loading the dashboards from a directory.
 *
 * <pre>{@code
 * ObjectNode ds = GrafanaProvisioning.datasources("http://prometheus:9090", "15s");
 * ObjectNode provider = GrafanaProvisioning.dashboardProvider("/var/lib/grafana/dashboards");
 * }</pre>
 */
public final class GrafanaProvisioning {

  /** The fixed uid of the provisioned Prometheus data source. */
  public static final String DATASOURCE_UID = "pyairtable-prometheus";

  /** The folder the dashboards are filed under. */
  public static final String FOLDER = "PyAirtable";

  private GrafanaProvisioning() {}

  /** {@code datasources.yml}; {@code scrapeInterval} lets {@code $__rate_interval} cover four scrapes. */
  public static ObjectNode datasources(String prometheusUrl, String scrapeInterval) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", 1);
    root.putArray("datasources").add(datasource(prometheusUrl, scrapeInterval));
    return root;
  }

  /** One data source entry. */
  public static ObjectNode datasource(String prometheusUrl, String scrapeInterval) {
    ObjectNode ds = JsonNodeFactory.instance.objectNode();
    ds.put("name", "Prometheus");
    ds.put("uid", DATASOURCE_UID);
    ds.put("type", "prometheus");
    ds.put("access", "proxy");
    ds.put("url", prometheusUrl);
    ds.put("isDefault", true);
    ds.put("editable", false);
    ds.putObject("jsonData").put("timeInterval", scrapeInterval).put("httpMethod", "POST");
    return ds;
  }

  /** {@code dashboards.yml}: a file provider reading {@code path}. */
  public static ObjectNode dashboardProvider(String path) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", 1);
    ObjectNode p = root.putArray("providers").addObject();
    p.put("name", "pyairtable");
    p.put("orgId", 1);
    p.put("folder", FOLDER);
    p.put("type", "file");
    p.put("disableDeletion", true);
    p.put("allowUiUpdates", false);
    p.put("updateIntervalSeconds", 30);
    p.putObject("options").put("path", path);
    return root;
  }
}
