package io.pyairtable.metrics.monitoring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.k8s.WorkloadOptions;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.rules.ServiceAlerts;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.rules.SloRules;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.stack.AlertmanagerConfig;
import io.pyairtable.metrics.monitoring.stack.ComposeFile;
import io.pyairtable.metrics.monitoring.stack.GrafanaProvisioning;
import io.pyairtable.metrics.monitoring.stack.PrometheusConfig;
import io.pyairtable.metrics.monitoring.stack.ReadSeries;
import io.pyairtable.metrics.monitoring.stack.RemoteWrite;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes the whole monitoring tree, generated from the metric catalogue and the monitored
 * {@link Services} (the four PyAirtable services by default, or a services file): scrape jobs,
 * SLO rules, the dashboards' service variable and the ServiceMonitors follow the services.
 *
 * <pre>
 * prometheus.yml (+ prometheus-a.yml prometheus-b.yml with haPair())  alerts.yml  slo-rules.yml  alertmanager.yml  alertmanager-no-slack.yml
 * docker-compose.monitoring.yml
 * grafana/provisioning/datasources/datasources.yml  grafana/provisioning/dashboards/dashboards.yml
 * grafana/dashboards/&lt;uid&gt;.json (7)
 * k8s/servicemonitors.yaml  k8s/prometheusrule.yaml  k8s/grafana-datasource.yaml
 * k8s/dashboards/&lt;uid&gt;.yaml (7 ConfigMaps)
 * with workloads: k8s/workloads/config.yaml (the Redis connection and the services' URLs)
 *                 k8s/workloads/&lt;service&gt;.yaml (Deployment, Service, PodDisruptionBudget, HPA)
 * </pre>
 *
 * <pre>{@code
 * MonitoringExport.exportMonitoringConfigs(Path.of("monitoring"));   // the defaults
 * Services services = Services.read(Path.of("services.yml"));
 * MonitoringExport.builder().services(services)
 *     .slos(services.sloConfig().merge(SloConfig.readOverrides(Path.of("slo.yml"))))
 *     .alertTiming(AlertTiming.production().withAllFor("30s")).build().writeConfigs(Path.of("monitoring"));
 * }</pre>
 */
public final class MonitoringExport {

  /** The six README alerts. */
  public static final String ALERTS_FILE = "alerts.yml";

  /** SLO recording rules and burn-rate alerts. */
  public static final String SLO_RULES_FILE = "slo-rules.yml";

  /** The external label telling the two Prometheus of an HA pair apart. */
  public static final String REPLICA_LABEL = "replica";

  /** The replicas {@link Builder#haPair()} names. */
  public static final List<String> HA_PAIR = List.of("a", "b");

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
    return ServiceAlerts.group(b.timing);
  }

  /** The SLO groups, one per configured service. */
  public List<RuleGroup> sloGroups() {
    return SloRules.groups(slos());
  }

  /** The SLOs: the explicit ones, else the defaults of every monitored service with its own settings. */
  public SloConfig slos() {
    return b.slos != null ? b.slos : b.services.sloConfig();
  }

  /** Where the services are scraped by default: every monitored service on the targets host. */
  public ScrapeTargets targets() {
    return ScrapeTargets.of(b.services, b.targetsHost);
  }

  /**
   * The Prometheus options: the export's defaults (the services' targets, both rule files, remote
   * write), then {@link Builder#prometheus}'s settings, then the {@code replica} external label and
   * the alert relabelling that drops it again (null for the single Prometheus).
   */
  private PrometheusConfig prometheus(String replica) {
    PrometheusConfig.Builder p = PrometheusConfig.builder()
        .targets(targets())
        .ruleFiles(List.of(ALERTS_FILE, SLO_RULES_FILE))
        .remoteWrite(remoteWrite());
    b.prometheus.accept(p);
    if (replica != null) {
      p.externalLabel(REPLICA_LABEL, replica);
      p.dropAlertLabel(REPLICA_LABEL);
    }
    return p.build();
  }

  /** The seven dashboards, their service variable listing the monitored services. */
  public List<Dashboard> dashboards() {
    return Dashboards.all(b.services.names());
  }

  /** {@code alertmanager.yml}: the configured delivery (Slack by default). */
  public ObjectNode alertmanagerConfig() {
    return b.alertmanagerConfig.timing(b.timing).build().toJson();
  }

  /** {@code prometheus.yml} as a document. */
  public ObjectNode prometheusConfig() {
    return prometheusConfig(null);
  }

  /**
   * The configuration of one Prometheus of the HA pair ({@code prometheus-<replica>.yml}): the same
   * jobs, rules and remote write as {@code prometheus.yml}, plus the external label
   * {@code replica="<replica>"} and an {@code alert_relabel_configs} entry dropping {@code replica}
   * from the alerts (so Alertmanager deduplicates the pair's alerts); null for the single Prometheus.
   */
  public ObjectNode prometheusConfig(String replica) {
    return prometheus(replica).toJson();
  }

  /** The {@code remote_write} entry: the URL, queue settings, and the series the dashboards and rules read; null for none. */
  public RemoteWrite remoteWrite() {
    if (b.remoteWriteUrl == null) {
      return null;
    }
    RemoteWrite rw = RemoteWrite.to(b.remoteWriteUrl).keepOnly(b.remoteWriteAllSeries ? null : readSeries());
    for (Map.Entry<String, String> q : b.remoteWriteQueue.entrySet()) {
      rw = rw.queue(q.getKey(), q.getValue());
    }
    return rw;
  }

  /** What the dashboards and rules read: the series remote write keeps (see {@link ReadSeries}). */
  public Set<String> readSeries() {
    return ReadSeries.of(dashboards(), allRuleGroups());
  }

  /** The names of the HA pair's replicas ({@code a}, {@code b}), empty for a single Prometheus. */
  public List<String> haReplicas() {
    return b.haReplicas;
  }

  private List<RuleGroup> allRuleGroups() {
    List<RuleGroup> all = new ArrayList<>();
    all.add(alertGroup());
    all.addAll(sloGroups());
    return all;
  }

  /** Writes the whole tree into {@code dir}, creating directories; returns the files written. */
  public List<Path> writeConfigs(Path dir) {
    ExportFiles files = new ExportFiles();
    PrometheusConfig prometheus = prometheus(null);
    files.write(dir.resolve("prometheus.yml"), YamlDocuments.write(prometheus.toJson()));
    for (String replica : b.haReplicas) {
      files.write(dir.resolve("prometheus-" + replica + ".yml"), YamlDocuments.write(prometheusConfig(replica)));
    }
    files.write(dir.resolve(ALERTS_FILE), YamlDocuments.write(RuleGroup.ruleFile(List.of(alertGroup()))));
    files.write(dir.resolve(SLO_RULES_FILE), YamlDocuments.write(RuleGroup.ruleFile(sloGroups())));
    files.write(dir.resolve(ComposeFile.ALERTMANAGER_FILE), YamlDocuments.write(alertmanagerConfig()));
    files.write(dir.resolve(ComposeFile.ALERTMANAGER_NO_SLACK_FILE), YamlDocuments.write(
        AlertmanagerConfig.builder().noSecret().timing(b.timing).build().toJson()));
    files.write(dir.resolve("docker-compose.monitoring.yml"),
        YamlDocuments.write(ComposeFile.toJson(List.of(ALERTS_FILE, SLO_RULES_FILE), b.haReplicas)));
    Path provisioning = dir.resolve("grafana").resolve("provisioning");
    files.write(provisioning.resolve("datasources").resolve("datasources.yml"),
        YamlDocuments.write(GrafanaProvisioning.datasources(b.grafanaPrometheusUrl, prometheus.scrapeInterval())));
    files.write(provisioning.resolve("dashboards").resolve("dashboards.yml"),
        YamlDocuments.write(GrafanaProvisioning.dashboardProvider("/var/lib/grafana/dashboards")));
    writeDashboards(files, dir.resolve("grafana").resolve("dashboards"));
    new KubernetesExport(b.kubernetesNamespace, b.kubernetesSelectorLabels, b.kubernetesPrometheusUrl, b.workloads,
        b.services).write(files, dir.resolve("k8s"), prometheus, allRuleGroups(), dashboards());
    return files.written();
  }

  /** The folder under {@code k8s/} holding the workloads. */
  public static final String WORKLOADS_DIR = KubernetesExport.WORKLOADS_DIR;

  /** Writes the seven dashboards as {@code <uid>.json} into {@code dir}. */
  public List<Path> writeDashboards(Path dir) {
    ExportFiles files = new ExportFiles();
    writeDashboards(files, dir);
    return files.written();
  }

  private void writeDashboards(ExportFiles files, Path dir) {
    for (Dashboard d : dashboards()) {
      files.write(dir.resolve(d.fileName()), d.toJson().toPrettyString() + "\n");
    }
  }

  /** Options of the export; the defaults suit the Compose stack next to the four services. */
  public static final class Builder {
    private Services services = Services.defaults();
    private SloConfig slos;
    private String targetsHost = ScrapeTargets.DEFAULT_HOST;
    private AlertTiming timing = AlertTiming.production();
    private AlertmanagerConfig.Builder alertmanagerConfig = AlertmanagerConfig.builder();
    private Consumer<PrometheusConfig.Builder> prometheus = p -> { };
    private String remoteWriteUrl;
    private boolean remoteWriteAllSeries;
    private final Map<String, String> remoteWriteQueue = new LinkedHashMap<>();
    private List<String> haReplicas = List.of();
    private String grafanaPrometheusUrl = "http://127.0.0.1:9090";
    private String kubernetesNamespace = "pyairtable";
    private Map<String, String> kubernetesSelectorLabels = Map.of("release", "prometheus");
    private String kubernetesPrometheusUrl = "http://prometheus-operated:9090";
    private WorkloadOptions workloads;

    private Builder() {}

    /** The monitored services (default: the four PyAirtable services on ports 8000 to 8003). */
    public Builder services(Services s) {
      this.services = s;
      return this;
    }

    /** The SLOs (default: each monitored service's defaults with its own settings applied). */
    public Builder slos(SloConfig config) {
      this.slos = config;
      return this;
    }

    /** The host the services' ports are on (default 127.0.0.1); null: each service by its own name. Explicit targets: {@link #prometheus}. */
    public Builder targetsHost(String host) {
      this.targetsHost = host;
      return this;
    }

    /** The alerts' {@code for} durations and Alertmanager's grouping timings (default: production). */
    public Builder alertTiming(AlertTiming t) {
      this.timing = t;
      return this;
    }

    /** How {@code alertmanager.yml} delivers (default: Slack, URL from {@link AlertmanagerConfig#DEFAULT_WEBHOOK_FILE}). */
    public Builder alertmanagerConfig(AlertmanagerConfig.Builder config) {
      this.alertmanagerConfig = config;
      return this;
    }

    /**
     * Options of {@code prometheus.yml} (and of the HA pair's files), on {@link PrometheusConfig.Builder}:
     * scrape and evaluation intervals, metrics path, Alertmanager, redis_exporter, Prometheus' own
     * target, explicit targets. Its scrape interval and metrics path also go into the Grafana
     * datasource and the ServiceMonitors. Applied after the export's defaults (the services'
     * targets, the rule files, remote write); repeatable, applied in order.
     *
     * <pre>{@code
     * MonitoringExport.builder().prometheus(p -> p.scrapeInterval("5s").alertmanager(null)).build();
     * }</pre>
     */
    public Builder prometheus(Consumer<PrometheusConfig.Builder> options) {
      this.prometheus = this.prometheus.andThen(Objects.requireNonNull(options, "options"));
      return this;
    }

    /** A remote-write URL; null for none. Sends only what the dashboards and rules read, unless {@link #remoteWriteAllSeries}. */
    public Builder remoteWrite(String url) {
      this.remoteWriteUrl = url;
      return this;
    }

    /** Remote write sends every series, no keep list. */
    public Builder remoteWriteAllSeries(boolean all) {
      this.remoteWriteAllSeries = all;
      return this;
    }

    /** One remote-write queue setting (see {@link RemoteWrite#queue}); repeatable. */
    public Builder remoteWriteQueue(String name, String value) {
      RemoteWrite.checkQueueSetting(name, value);
      this.remoteWriteQueue.put(name, value);
      return this;
    }

    /** Also writes {@code prometheus-a.yml} and {@code prometheus-b.yml}: an HA pair with {@code replica="a"/"b"}. */
    public Builder haPair() {
      return haReplicas(HA_PAIR);
    }

    /** Also writes a {@code prometheus-<replica>.yml} per name, each with its {@code replica} external label. */
    public Builder haReplicas(List<String> replicas) {
      for (String r : replicas) {
        if (!r.matches("[a-z0-9][a-z0-9-]*")) {
          throw new IllegalArgumentException("replica names are lower-case letters, digits and '-': " + r);
        }
      }
      this.haReplicas = List.copyOf(replicas);
      return this;
    }

    /** The file Alertmanager reads the Slack webhook URL from. */
    public Builder slackWebhookUrlFile(String path) {
      this.alertmanagerConfig = AlertmanagerConfig.builder().slack(path);
      return this;
    }

    /** The Prometheus URL as Grafana reaches it (default {@code http://127.0.0.1:9090}, Grafana on the host network). */
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

    /** Also write the services' Kubernetes workloads (default: none, monitoring objects only). */
    public Builder kubernetesWorkloads(WorkloadOptions options) {
      this.workloads = options;
      return this;
    }

    public MonitoringExport build() {
      return new MonitoringExport(this);
    }
  }
}
