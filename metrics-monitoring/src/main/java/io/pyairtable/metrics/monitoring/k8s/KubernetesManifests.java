package io.pyairtable.metrics.monitoring.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.stack.GrafanaProvisioning;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus Operator and Grafana sidecar objects: a ServiceMonitor per service (job relabelled to
 * {@code pyairtable-<service>} so the alert rules match as they do with {@code prometheus.yml}), one
 * PrometheusRule with every rule group, a ConfigMap per dashboard labelled {@code grafana_dashboard: "1"}
 * and a data source ConfigMap labelled {@code grafana_datasource: "1"}, as the kube-prometheus-stack
 * chart's Grafana sidecars pick them up.
 *
 * <pre>{@code
 * KubernetesManifests k8s = new KubernetesManifests("pyairtable", Map.of("release", "prometheus"));
 * List<ObjectNode> monitors = k8s.serviceMonitors(Services.defaults(), "15s", "/metrics");
 * }</pre>
 */
public final class KubernetesManifests {

  /** The label Grafana's dashboard sidecar watches. */
  public static final String DASHBOARD_LABEL = "grafana_dashboard";

  /** The label Grafana's data source sidecar watches. */
  public static final String DATASOURCE_LABEL = "grafana_datasource";

  private final String namespace;
  private final Map<String, String> selectorLabels;

  /**
   * @param namespace the namespace of the services and of the objects
   * @param selectorLabels labels the Prometheus resource selects monitors and rules by (for
   *     kube-prometheus-stack: {@code release: <helm release name>})
   */
  public KubernetesManifests(String namespace, Map<String, String> selectorLabels) {
    this.namespace = namespace;
    this.selectorLabels = Map.copyOf(selectorLabels);
  }

  /** The defaults: namespace {@code pyairtable}, selected by {@code release: prometheus}. */
  public static KubernetesManifests defaults() {
    return new KubernetesManifests("pyairtable", Map.of("release", "prometheus"));
  }

  /**
   * One ServiceMonitor per service of {@code services}, selecting the Service labelled
   * {@code app.kubernetes.io/name: <service>} and scraping its port named {@code http}; the job is
   * relabelled to {@code pyairtable-<service>} and the service's extra labels are added to its targets.
   */
  public List<ObjectNode> serviceMonitors(Services services, String scrapeInterval, String metricsPath) {
    return services.services().stream().map(s -> serviceMonitor(s, scrapeInterval, metricsPath)).toList();
  }

  private ObjectNode serviceMonitor(MonitoredService s, String scrapeInterval, String metricsPath) {
    ObjectNode m = object("monitoring.coreos.com/v1", "ServiceMonitor", s.jobName());
    ObjectNode spec = m.putObject("spec");
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", s.name());
    spec.putObject("namespaceSelector").putArray("matchNames").add(namespace);
    ObjectNode endpoint = spec.putArray("endpoints").addObject();
    endpoint.put("port", "http");
    endpoint.put("path", metricsPath);
    endpoint.put("interval", scrapeInterval);
    ArrayNode relabelings = endpoint.putArray("relabelings");
    relabelings.addObject().put("action", "replace").put("targetLabel", "job").put("replacement", s.jobName());
    new TreeMap<>(s.labels()).forEach((k, v) ->
        relabelings.addObject().put("action", "replace").put("targetLabel", k).put("replacement", v));
    return m;
  }

  /** One PrometheusRule holding {@code groups}. */
  public ObjectNode prometheusRule(String name, List<RuleGroup> groups) {
    ObjectNode r = object("monitoring.coreos.com/v1", "PrometheusRule", name);
    ArrayNode array = r.putObject("spec").putArray("groups");
    groups.forEach(g -> array.add(g.toJson()));
    return r;
  }

  /** A ConfigMap holding one dashboard as {@code <uid>.json}, for the Grafana sidecar. */
  public ObjectNode dashboardConfigMap(Dashboard dashboard) {
    ObjectNode cm = object("v1", "ConfigMap", "grafana-dashboard-" + dashboard.uid());
    ((ObjectNode) cm.get("metadata").get("labels")).put(DASHBOARD_LABEL, "1");
    ((ObjectNode) cm.get("metadata")).putObject("annotations").put("grafana_folder", GrafanaProvisioning.FOLDER);
    cm.putObject("data").put(dashboard.fileName(), dashboard.toJson().toPrettyString());
    return cm;
  }

  /** A ConfigMap with the Prometheus data source (fixed uid) for the Grafana sidecar. */
  public ObjectNode datasourceConfigMap(String prometheusUrl, String scrapeInterval) {
    ObjectNode cm = object("v1", "ConfigMap", "grafana-datasource-pyairtable");
    ((ObjectNode) cm.get("metadata").get("labels")).put(DATASOURCE_LABEL, "1");
    ObjectNode ds = GrafanaProvisioning.datasources(prometheusUrl, scrapeInterval);
    ((ObjectNode) ds.get("datasources").get(0)).put("isDefault", false);
    cm.putObject("data").put("pyairtable-datasource.yaml",
        YamlDocuments.write(ds));
    return cm;
  }

  private ObjectNode object(String apiVersion, String kind, String name) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    ObjectNode labels = meta.putObject("labels");
    labels.put("app.kubernetes.io/part-of", "pyairtable");
    selectorLabels.forEach(labels::put);
    return o;
  }
}
