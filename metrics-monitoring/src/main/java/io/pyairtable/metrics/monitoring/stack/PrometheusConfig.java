package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code prometheus.yml}: one scrape job per service of the {@link ScrapeTargets} (job
 * {@code pyairtable-<service>}, the service's extra labels on its target), the rule files, the Alertmanager
 * target, the Redis exporter, an optional {@link RemoteWrite} and optional external labels (the
 * {@code replica} of an HA pair). Rule file paths are relative
 * to the config file, as Prometheus resolves them.
 *
 * <pre>{@code
 * String yaml = YamlDocuments.write(PrometheusConfig.builder()
 *     .targets(ScrapeTargets.onHost("127.0.0.1", 8000))
 *     .scrapeInterval("5s").alertmanager(null).build().toJson());
 * }</pre>
 */
public final class PrometheusConfig {

  /** The rule files the export writes next to {@code prometheus.yml}. */
  public static final List<String> DEFAULT_RULE_FILES = List.of("alerts.yml", "slo-rules.yml");

  private final Builder b;

  private PrometheusConfig(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The global scrape interval (also what Grafana and the ServiceMonitors are given). */
  public String scrapeInterval() {
    return b.scrapeInterval;
  }

  /** The path the services' metrics are scraped from. */
  public String metricsPath() {
    return b.metricsPath;
  }

  /** The configuration document. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode global = root.putObject("global");
    global.put("scrape_interval", b.scrapeInterval);
    global.put("evaluation_interval", b.evaluationInterval);
    ObjectNode external = global.putObject("external_labels").put("monitor", "pyairtable");
    b.externalLabels.forEach(external::put);
    ArrayNode rules = root.putArray("rule_files");
    b.ruleFiles.forEach(rules::add);
    if (b.alertmanager != null || !b.alertLabelDrops.isEmpty()) {
      ObjectNode alerting = root.putObject("alerting");
      if (!b.alertLabelDrops.isEmpty()) {
        ArrayNode relabel = alerting.putArray("alert_relabel_configs");
        b.alertLabelDrops.forEach(label -> relabel.addObject().put("action", "labeldrop").put("regex", label));
      }
      if (b.alertmanager != null) {
        alerting.putArray("alertmanagers").addObject()
            .putArray("static_configs").addObject().putArray("targets").add(b.alertmanager);
      }
    }
    ArrayNode scrapes = root.putArray("scrape_configs");
    if (b.selfTarget != null) {
      scrapes.add(job("prometheus", b.selfTarget, null));
    }
    b.targets.all().forEach((service, target) -> {
      ObjectNode j = job(ServiceCatalog.of(service, 0).jobName(), target.hostPort(), b.metricsPath);
      if (!target.labels().isEmpty()) {
        ObjectNode labels = ((ObjectNode) j.get("static_configs").get(0)).putObject("labels");
        new TreeMap<>(target.labels()).forEach(labels::put);
      }
      scrapes.add(j);
    });
    if (b.redisExporter != null) {
      scrapes.add(job("redis-exporter", b.redisExporter, null));
    }
    if (b.remoteWrite != null) {
      root.putArray("remote_write").add(b.remoteWrite.toJson());
    }
    return root;
  }

  private static ObjectNode job(String name, String target, String metricsPath) {
    ObjectNode j = JsonNodeFactory.instance.objectNode();
    j.put("job_name", name);
    if (metricsPath != null) {
      j.put("metrics_path", metricsPath);
    }
    j.putArray("static_configs").addObject().putArray("targets").add(target);
    return j;
  }

  /** Options of {@code prometheus.yml}; every setter returns the builder. */
  public static final class Builder {
    private ScrapeTargets targets = ScrapeTargets.defaults();
    private String scrapeInterval = "15s";
    private String evaluationInterval = "15s";
    private String metricsPath = "/metrics";
    private List<String> ruleFiles = new ArrayList<>(DEFAULT_RULE_FILES);
    private String alertmanager = "127.0.0.1:9093";
    private String redisExporter = "127.0.0.1:9121";
    private String selfTarget = "127.0.0.1:9090";
    private RemoteWrite remoteWrite;
    private final Map<String, String> externalLabels = new TreeMap<>();
    private final List<String> alertLabelDrops = new ArrayList<>();

    private Builder() {}

    /** Where the services are scraped (default: the four built-in ones on 127.0.0.1:8000-8003). */
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

    /** The path of the services' metrics endpoint ({@code METRICS_ENDPOINT}, default /metrics). */
    public Builder metricsPath(String path) {
      this.metricsPath = path;
      return this;
    }

    /** Rule files, relative to the config file or absolute. */
    public Builder ruleFiles(List<String> files) {
      this.ruleFiles = new ArrayList<>(files);
      return this;
    }

    /** The Alertmanager {@code host:port}; null for none. */
    public Builder alertmanager(String hostPort) {
      this.alertmanager = hostPort;
      return this;
    }

    /** The redis_exporter {@code host:port}; null for none. */
    public Builder redisExporter(String hostPort) {
      this.redisExporter = hostPort;
      return this;
    }

    /** Prometheus' own {@code host:port} to scrape itself; null for none. */
    public Builder selfTarget(String hostPort) {
      this.selfTarget = hostPort;
      return this;
    }

    /** A remote-write endpoint (Mimir, Thanos receive, Grafana Cloud ...), every series; null for none. */
    public Builder remoteWrite(String url) {
      this.remoteWrite = url == null ? null : RemoteWrite.to(url);
      return this;
    }

    /** A remote-write entry with its queue settings and keep list; null for none. */
    public Builder remoteWrite(RemoteWrite rw) {
      this.remoteWrite = rw;
      return this;
    }

    /** Basic auth for remote write, the password read from a file; after {@link #remoteWrite}. */
    public Builder remoteWriteBasicAuth(String username, String passwordFile) {
      this.remoteWrite = remoteWrite.basicAuth(username, passwordFile);
      return this;
    }

    /**
     * An external label besides {@code monitor="pyairtable"}, such as {@code replica="a"} for one of
     * an HA pair: Prometheus attaches it to what it sends (remote write, alerts), never to its own storage.
     */
    public Builder externalLabel(String name, String value) {
      this.externalLabels.put(name, value);
      return this;
    }

    /**
     * Drops a label from the alerts sent to Alertmanager ({@code alerting.alert_relabel_configs},
     * {@code action: labeldrop}), such as an HA pair's {@code replica}, so that Alertmanager sees the
     * pair's alerts as one and deduplicates them; remote write keeps the label.
     */
    public Builder dropAlertLabel(String name) {
      this.alertLabelDrops.add(name);
      return this;
    }

    public PrometheusConfig build() {
      return new PrometheusConfig(this);
    }
  }
}
