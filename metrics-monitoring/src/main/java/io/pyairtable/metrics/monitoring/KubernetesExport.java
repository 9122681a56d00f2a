package io.pyairtable.metrics.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.k8s.KubernetesManifests;
import io.pyairtable.metrics.monitoring.k8s.KubernetesWorkloads;
import io.pyairtable.metrics.monitoring.k8s.WorkloadOptions;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.stack.PrometheusConfig;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code k8s/} part of {@link MonitoringExport}: ServiceMonitors, the PrometheusRule, the
 * Grafana datasource and one ConfigMap per dashboard for the Prometheus Operator and Grafana's
 * sidecar, and, when asked for, the services' workloads.
 *
 * <pre>{@code
 * new KubernetesExport("pyairtable", Map.of("release", "prometheus"), "http://prometheus-operated:9090", null, services)
 *     .write(files, dir.resolve("k8s"), prometheus, ruleGroups, dashboards);
 * }</pre>
 */
final class KubernetesExport {

  /** The folder under {@code k8s/} holding the workloads. */
  static final String WORKLOADS_DIR = "workloads";

  private final String namespace;
  private final KubernetesManifests manifests;
  private final String prometheusUrl;
  private final WorkloadOptions workloads;
  private final Services services;

  /** {@code workloads} null: monitoring objects only. */
  KubernetesExport(String namespace, Map<String, String> selectorLabels, String prometheusUrl,
      WorkloadOptions workloads, Services services) {
    this.namespace = namespace;
    this.manifests = new KubernetesManifests(namespace, selectorLabels);
    this.prometheusUrl = prometheusUrl;
    this.workloads = workloads;
    this.services = services;
  }

  /** Writes the objects under {@code k8sDir}, with the scrape settings of {@code prometheus}. */
  void write(ExportFiles files, Path k8sDir, PrometheusConfig prometheus, List<RuleGroup> ruleGroups,
      List<Dashboard> dashboards) {
    files.write(k8sDir.resolve("servicemonitors.yaml"), YamlDocuments.writeAll(
        manifests.serviceMonitors(services, prometheus.scrapeInterval(), prometheus.metricsPath())));
    files.write(k8sDir.resolve("prometheusrule.yaml"),
        YamlDocuments.writeAll(List.of(manifests.prometheusRule("pyairtable-rules", ruleGroups))));
    files.write(k8sDir.resolve("grafana-datasource.yaml"), YamlDocuments.writeAll(
        List.of(manifests.datasourceConfigMap(prometheusUrl, prometheus.scrapeInterval()))));
    for (Dashboard d : dashboards) {
      files.write(k8sDir.resolve("dashboards").resolve(d.uid() + ".yaml"),
          YamlDocuments.writeAll(List.of(manifests.dashboardConfigMap(d))));
    }
    if (workloads != null) {
      writeWorkloads(files, k8sDir.resolve(WORKLOADS_DIR));
    }
  }

  private void writeWorkloads(ExportFiles files, Path dir) {
    KubernetesWorkloads k8s = new KubernetesWorkloads(namespace, workloads);
    files.write(dir.resolve("config.yaml"), YamlDocuments.writeAll(List.of(toTree(k8s.configMap(services)))));
    for (MonitoredService s : services.services()) {
      files.write(dir.resolve(s.name() + ".yaml"),
          YamlDocuments.writeAll(k8s.forService(s).stream().map(KubernetesExport::toTree).toList()));
    }
  }

  private static JsonNode toTree(Object kubernetesObject) {
    return YamlDocuments.mapper().valueToTree(kubernetesObject);
  }
}
