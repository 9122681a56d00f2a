package io.pyairtable.metrics.cli;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.k8s.WorkloadOptions;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.services.Services;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export-configs DIR}: writes the whole monitoring tree (Prometheus, rules, Alertmanager,
 * Compose, Grafana provisioning and dashboards, Kubernetes monitoring objects and the services'
 * workloads) into DIR, for the four PyAirtable services or the services of a services file. The
 * command is built with the services' graceful-shutdown grace period (the pods'
 * {@code terminationGracePeriodSeconds} follows it), which the command line that hosts it reads
 * from the services' code; constructed without it, the command leaves the workloads out.
 *
 * <pre>{@code
 * new CommandLine(new ExportConfigsCommand(ServerLimits.defaults().shutdownGrace())).execute(
 *     "--services", "services.yml", "--image-pattern", "registry/pyairtable-{service}:1.0",
 *     "--alert-for", "30s", "--group-wait", "5s", "monitoring");
 * }</pre>
 */
@Command(name = "export-configs", mixinStandardHelpOptions = true,
    description = "Write prometheus.yml (and prometheus-a/-b.yml with --ha-pair), alert and SLO rules, alertmanager.yml (Slack) and alertmanager-no-slack.yml, "
        + "docker-compose.monitoring.yml, Grafana provisioning and dashboards, and k8s/ objects (monitoring and "
        + "the services' workloads) into DIR.")
public final class ExportConfigsCommand implements Callable<Integer> {

  private final Duration serviceShutdownGrace;

  /**
   * The command writing the services' workloads too.
   *
   * @param serviceShutdownGrace how long a stopping service lets in-flight requests finish
   */
  public ExportConfigsCommand(Duration serviceShutdownGrace) {
    this.serviceShutdownGrace = Objects.requireNonNull(serviceShutdownGrace, "serviceShutdownGrace");
  }

  /** The command writing the monitoring tree only, without the services' workloads (their grace is not known here). */
  public ExportConfigsCommand() {
    this.serviceShutdownGrace = null;
  }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "Output directory (created if missing).")
  Path dir;

  @Option(names = "--services", paramLabel = "FILE",
      description = "YAML services file (name, port or target, slo, labels, healthPath, image); adds to and "
          + "overrides the four PyAirtable services (builtIn: false to leave them out).")
  Path servicesFile;

  @Option(names = "--base-port", defaultValue = "" + ServiceCatalog.DEFAULT_BASE_PORT,
      description = "Port of the API gateway; the other built-in services follow it (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--targets-host", defaultValue = "127.0.0.1",
      description = "Host the services' ports are on (default: ${DEFAULT-VALUE}, where the Compose stack's "
          + "host-networked Prometheus reaches a demo on the same host).")
  String targetsHost;

  @Option(names = "--targets-by-service-name",
      description = "Scrape each service by its own name (a shared container network) instead of --targets-host.")
  boolean byServiceName;

  @Option(names = "--scrape-interval", defaultValue = "15s", description = "Default: ${DEFAULT-VALUE}.")
  String scrapeInterval;

  @Option(names = "--evaluation-interval", defaultValue = "15s", description = "Default: ${DEFAULT-VALUE}.")
  String evaluationInterval;

  @Option(names = "--slo-config", paramLabel = "FILE",
      description = "YAML file with a top-level 'slos' list; adds to and overrides the services' SLOs "
          + "(default: 99.9% over 30d) field by field.")
  Path sloConfig;

  @Option(names = "--alert-for", paramLabel = "[ALERT=]DURATION",
      description = "The 'for' of every README alert (DURATION) or of one (ServiceDown=30s); repeatable. "
          + "Default: ServiceDown 1m, HighErrorRate 5m, HighLatency 5m, AirtableRateLimitHit 1m, "
          + "CircuitBreakerOpen 1m, LowCacheHitRatio 10m.")
  List<String> alertFor = new ArrayList<>();

  @Option(names = "--group-wait", defaultValue = "30s", description = "Alertmanager group_wait (default: ${DEFAULT-VALUE}).")
  String groupWait;

  @Option(names = "--group-interval", defaultValue = "5m",
      description = "Alertmanager group_interval (default: ${DEFAULT-VALUE}).")
  String groupInterval;

  @Option(names = "--repeat-interval",
      description = "Alertmanager repeat_interval (default: 4h for warnings, 1h for critical alerts).")
  String repeatInterval;

  @Option(names = {"--remote-write", "--remote-write-url"}, paramLabel = "URL",
      description = "Add a remote_write endpoint to every prometheus*.yml, keeping only the series the dashboards "
          + "and rules read (Mimir, Thanos Receive, any remote-write receiver).")
  String remoteWriteUrl;

  @Option(names = "--remote-write-all-series", description = "Remote write sends every series (no keep list).")
  boolean remoteWriteAllSeries;

  @Option(names = "--remote-write-queue", paramLabel = "NAME=VALUE",
      description = "A remote-write queue_config setting (capacity, max_shards, min_shards, max_samples_per_send, "
          + "batch_send_deadline, min_backoff, max_backoff); repeatable. Default: capacity=10000, max_shards=10, "
          + "min_shards=1, max_samples_per_send=2000, batch_send_deadline=5s, min_backoff=30ms, max_backoff=5s.")
  List<String> remoteWriteQueue = new ArrayList<>();

  @Option(names = "--ha-pair",
      description = "Also write prometheus-a.yml and prometheus-b.yml: the same jobs, rules and remote write, "
          + "external label replica=\"a\" / replica=\"b\"; the Compose file then runs both (prometheus-a on 9090, "
          + "prometheus-b on 9091).")
  boolean haPair;

  @Option(names = "--namespace", defaultValue = "pyairtable",
      description = "Namespace of the Kubernetes objects (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--image-pattern", paramLabel = "IMAGE", defaultValue = WorkloadOptions.DEFAULT_IMAGE_PATTERN,
      description = "Image of the services without an image in the services file; {service} is replaced by the "
          + "service name, e.g. registry.example.com/pyairtable-{service}:1.0 (default: ${DEFAULT-VALUE}, the one "
          + "image running 'serve SERVICE').")
  String imagePattern;

  @Option(names = "--secret-name", defaultValue = "pyairtable-secrets",
      description = "Secret the services' secret variables (AIRTABLE_API_KEY, ...) are read from (default: ${DEFAULT-VALUE}).")
  String secretName;

  @Option(names = "--redis-url", defaultValue = "redis://redis:6379",
      description = "REDIS_URL of the workloads' ConfigMap (default: ${DEFAULT-VALUE}).")
  String redisUrl;

  @Option(names = "--redis-cluster-nodes", paramLabel = "HOST:PORT,...",
      description = "REDIS_CLUSTER_NODES of the workloads' ConfigMap, instead of REDIS_URL.")
  String redisClusterNodes;

  @Option(names = "--min-replicas", defaultValue = "2", description = "Autoscaler minimum (default: ${DEFAULT-VALUE}).")
  int minReplicas;

  @Option(names = "--max-replicas", defaultValue = "6", description = "Autoscaler maximum (default: ${DEFAULT-VALUE}).")
  int maxReplicas;

  @Option(names = "--cpu-target", defaultValue = "70",
      description = "Autoscaler target, average CPU in % of the request (default: ${DEFAULT-VALUE}).")
  int cpuTarget;

  @Override
  public Integer call() throws Exception {
    Services services = servicesFile == null ? Services.builtIn(basePort) : Services.read(servicesFile, basePort);
    SloConfig slos = services.sloConfig();
    if (sloConfig != null) {
      slos = slos.merge(SloConfig.readOverrides(sloConfig));
    }
    MonitoringExport.Builder builder = MonitoringExport.builder()
        .services(services)
        .targetsHost(byServiceName ? null : targetsHost)
        .prometheus(p -> p.scrapeInterval(scrapeInterval).evaluationInterval(evaluationInterval))
        .slos(slos)
        .alertTiming(timing())
        .remoteWrite(remoteWriteUrl)
        .remoteWriteAllSeries(remoteWriteAllSeries)
        .kubernetesNamespace(namespace);
    if (serviceShutdownGrace != null) {
      builder.kubernetesWorkloads(WorkloadOptions.builder(serviceShutdownGrace).imagePattern(imagePattern)
          .secretName(secretName).redisUrl(redisUrl).redisClusterNodes(redisClusterNodes)
          .replicas(minReplicas, maxReplicas).cpuUtilization(cpuTarget).build());
    }
    for (String q : remoteWriteQueue) {
      int eq = q.indexOf('=');
      try {
        if (eq < 0) {
          throw new IllegalArgumentException("--remote-write-queue needs NAME=VALUE, not " + q);
        }
        builder.remoteWriteQueue(q.substring(0, eq).trim(), q.substring(eq + 1).trim());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (haPair) {
      builder.haPair();
    }
    MonitoringExport export = builder.build();
    List<Path> written = export.writeConfigs(dir);
    System.out.println("wrote " + written.size() + " files to " + dir.toAbsolutePath() + " for "
        + String.join(", ", services.names()));
    return 0;
  }

  /** The timing the options ask for: production, with every override applied in order. */
  AlertTiming timing() {
    AlertTiming t = AlertTiming.production().groupWait(groupWait).groupInterval(groupInterval);
    if (repeatInterval != null) {
      t = t.repeatInterval(repeatInterval);
    }
    for (String f : alertFor) {
      int eq = f.indexOf('=');
      t = eq < 0 ? t.withAllFor(f.trim()) : t.withFor(f.substring(0, eq).trim(), f.substring(eq + 1).trim());
    }
    return t;
  }
}
