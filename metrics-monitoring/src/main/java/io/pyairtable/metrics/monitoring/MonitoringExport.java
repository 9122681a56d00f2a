package io.pyairtable.metrics.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.k8s.KubernetesManifests;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.rules.ServiceAlerts;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.rules.SloRules;
import io.pyairtable.metrics.monitoring.stack.AlertmanagerConfig;
import io.pyairtable.metrics.monitoring.stack.ComposeFile;
import io.pyairtable.metrics.monitoring.stack.GrafanaProvisioning;
import io.pyairtable.metrics.monitoring.stack.PrometheusConfig;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the whole monitoring tree, generated from the metric and service catalogues:
 *
 * <pre>
 * prometheus.yml  alerts.yml  slo-rules.yml  alertmanager.yml  docker-compose.monitoring.yml
 * grafana/provisioning/datasources/datasources.yml  grafana/provisioning/dashboards/dashboards.yml
 * grafana/dashboards/&lt;uid&gt;.json (7)
 * k8s/servicemonitors.yaml  k8s/prometheusrule.yaml  k8s/grafana-datasource.yaml
 * k8s/dashboards/&lt;uid&gt;.yaml (7 ConfigMaps)
 * </pre>
 *
 * <pre>{@code
 * MonitoringExport.exportMonitoringConfigs(Path.of("monitoring"));   // the defaults
 * MonitoringExport.builder().targets(ScrapeTargets.onHost("host.docker.internal", 8000))
 *     .slos(SloConfig.read(Path.of("slo.yml"))).build().writeConfigs(Path.of("monitoring"));
 * }</pre>
 */
public final class MonitoringExport {

  /** The six README alerts. */
  public static final String ALERTS_FILE = "alerts.yml";

  /** SLO recording rules and burn-rate alerts. */
  public static final String SLO_RULES_FILE = "slo-rules.yml";

  private final Builder b;

  private MonitoringExport(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Writes the whole tree with the defaults into {@code dir}; returns the files written. */
  public static List<Path> exportMonitoringConfigs(Path dir) {
    return builder().build().writeConfigs(dir);
  }

  /** Writes the seven dashboards as {@code <uid>.json} into {@code dir}; returns the files written. */
  public static List<Path> exportAllDashboards(Path dir) {
    return builder().build().writeDashboards(dir);
  }

  /** The six README alerts. */
  public RuleGroup alertGroup() {
    return ServiceAlerts.group();
  }

  /** The SLO groups, one per configured service. */
  public List<RuleGroup> sloGroups() {
    return SloRules.groups(b.slos);
  }

  /** {@code prometheus.yml} as a document. */
  public ObjectNode prometheusConfig() {
    PrometheusConfig.Builder p = PrometheusConfig.builder()
        .targets(b.targets)
        .scrapeInterval(b.scrapeInterval)
        .evaluationInterval(b.evaluationInterval)
        .metricsPath(b.metricsPath)
        .ruleFiles(List.of(ALERTS_FILE, SLO_RULES_FILE))
        .alertmanager(b.alertmanager)
        .redisExporter(b.redisExporter)
        .selfTarget(b.selfTarget)
        .remoteWrite(b.remoteWriteUrl);
    return p.build().toJson();
  }

  /** Writes the whole tree into {@code dir}, creating directories; returns the files written. */
  public List<Path> writeConfigs(Path dir) {
    List<Path> written = new ArrayList<>();
    write(written, dir.resolve("prometheus.yml"), YamlDocuments.write(prometheusConfig()));
    write(written, dir.resolve(ALERTS_FILE), YamlDocuments.write(RuleGroup.ruleFile(List.of(alertGroup()))));
    write(written, dir.resolve(SLO_RULES_FILE), YamlDocuments.write(RuleGroup.ruleFile(sloGroups())));
    write(written, dir.resolve("alertmanager.yml"), YamlDocuments.write(AlertmanagerConfig.builder()
        .slackWebhookUrlFile(b.slackWebhookUrlFile).build().toJson()));
    write(written, dir.resolve("docker-compose.monitoring.yml"),
        YamlDocuments.write(ComposeFile.toJson(List.of(ALERTS_FILE, SLO_RULES_FILE))));
    Path provisioning = dir.resolve("grafana").resolve("provisioning");
    write(written, provisioning.resolve("datasources").resolve("datasources.yml"),
        YamlDocuments.write(GrafanaProvisioning.datasources(b.grafanaPrometheusUrl, b.scrapeInterval)));
    write(written, provisioning.resolve("dashboards").resolve("dashboards.yml"),
        YamlDocuments.write(GrafanaProvisioning.dashboardProvider("/var/lib/grafana/dashboards")));
    written.addAll(writeDashboards(dir.resolve("grafana").resolve("dashboards")));

    Path k8sDir = dir.resolve("k8s");
    KubernetesManifests k8s = new KubernetesManifests(b.kubernetesNamespace, b.kubernetesSelectorLabels);
    write(written, k8sDir.resolve("servicemonitors.yaml"),
        YamlDocuments.writeAll(k8s.serviceMonitors(b.scrapeInterval, b.metricsPath)));
    List<RuleGroup> all = new ArrayList<>();
    all.add(alertGroup());
    all.addAll(sloGroups());
    write(written, k8sDir.resolve("prometheusrule.yaml"),
        YamlDocuments.writeAll(List.of(k8s.prometheusRule("pyairtable-rules", all))));
    write(written, k8sDir.resolve("grafana-datasource.yaml"), YamlDocuments.writeAll(
        List.of(k8s.datasourceConfigMap(b.kubernetesPrometheusUrl, b.scrapeInterval))));
    for (Dashboard d : Dashboards.all()) {
      write(written, k8sDir.resolve("dashboards").resolve(d.uid() + ".yaml"),
          YamlDocuments.writeAll(List.of(k8s.dashboardConfigMap(d))));
    }
    return written;
  }

  /** Writes the seven dashboards as {@code <uid>.json} into {@code dir}. */
  public List<Path> writeDashboards(Path dir) {
    List<Path> written = new ArrayList<>();
    for (Dashboard d : Dashboards.all()) {
      write(written, dir.resolve(d.fileName()), pretty(d.toJson()));
    }
    return written;
  }

  private static String pretty(JsonNode json) {
    return json.toPrettyString() + "\n";
  }

  private static void write(List<Path> written, Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content);
      written.add(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Options of the export; the defaults suit the Compose stack next to the four services. */
  public static final class Builder {
    private SloConfig slos = SloConfig.defaults();
    private ScrapeTargets targets = ScrapeTargets.byServiceName();
    private String scrapeInterval = "15s";
    private String evaluationInterval = "15s";
    private String metricsPath = "/metrics";
    private String alertmanager = "alertmanager:9093";
    private String redisExporter = "redis-exporter:9121";
    private String selfTarget = "localhost:9090";
    private String remoteWriteUrl;
    private String slackWebhookUrlFile = AlertmanagerConfig.DEFAULT_WEBHOOK_FILE;
    private String grafanaPrometheusUrl = "http://prometheus:9090";
    private String kubernetesNamespace = "pyairtable";
    private Map<String, String> kubernetesSelectorLabels = Map.of("release", "prometheus");
    private String kubernetesPrometheusUrl = "http://prometheus-operated:9090";

    private Builder() {}

    public Builder slos(SloConfig config) {
      this.slos = config;
      return this;
    }

    /** Where Prometheus scrapes the services (default: by service name, ports 8000 to 8003). */
    public Builder targets(ScrapeTargets t) {
      this.targets = t;
      return this;
    }

    public Builder scrapeInterval(String interval) {
      this.scrapeInterval = interval;
      return this;
    }

    public Builder evaluationInterval(String interval) {
      this.evaluationInterval = interval;
      return this;
    }

    public Builder metricsPath(String path) {
      this.metricsPath = path;
      return this;
    }

    /** Alertmanager {@code host:port} for Prometheus; null for none. */
    public Builder alertmanager(String hostPort) {
      this.alertmanager = hostPort;
      return this;
    }

    /** redis_exporter {@code host:port}; null for none. */
    public Builder redisExporter(String hostPort) {
      this.redisExporter = hostPort;
      return this;
    }

    /** Prometheus' own {@code host:port}; null not to scrape itself. */
    public Builder selfTarget(String hostPort) {
      this.selfTarget = hostPort;
      return this;
    }

    /** A remote-write URL; null for none. */
    public Builder remoteWrite(String url) {
      this.remoteWriteUrl = url;
      return this;
    }

    /** The file Alertmanager reads the Slack webhook URL from. */
    public Builder slackWebhookUrlFile(String path) {
      this.slackWebhookUrlFile = path;
      return this;
    }

    /** The Prometheus URL as Grafana reaches it (default {@code http://prometheus:9090}). */
    public Builder grafanaPrometheusUrl(String url) {
      this.grafanaPrometheusUrl = url;
      return this;
    }

    /** Namespace of the Kubernetes objects and of the Services the monitors select. */
    public Builder kubernetesNamespace(String namespace) {
      this.kubernetesNamespace = namespace;
      return this;
    }

    /** Labels the Prometheus Operator selects monitors and rules by. */
    public Builder kubernetesSelectorLabels(Map<String, String> labels) {
      this.kubernetesSelectorLabels = Map.copyOf(labels);
      return this;
    }

    /** The Prometheus URL as Grafana reaches it inside the cluster. */
    public Builder kubernetesPrometheusUrl(String url) {
      this.kubernetesPrometheusUrl = url;
      return this;
    }

    public MonitoringExport build() {
      return new MonitoringExport(this);
    }
  }
}
