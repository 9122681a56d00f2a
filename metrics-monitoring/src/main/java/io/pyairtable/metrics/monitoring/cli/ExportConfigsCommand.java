package io.pyairtable.metrics.monitoring.cli;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export-configs DIR}: writes the whole monitoring tree (Prometheus, rules, Alertmanager,
 * Compose, Grafana provisioning and dashboards, Kubernetes objects) into DIR.
 *
 * <pre>{@code
 * new CommandLine(new ExportConfigsCommand()).execute("--targets-host", "host.docker.internal", "monitoring");
 * }</pre>
 */
@Command(name = "export-configs", mixinStandardHelpOptions = true,
    description = "Write prometheus.yml, alert and SLO rules, alertmanager.yml, docker-compose.monitoring.yml, "
        + "Grafana provisioning and dashboards, and k8s/ objects into DIR.")
public final class ExportConfigsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Output directory (created if missing).")
  Path dir;

  @Option(names = "--base-port", defaultValue = "" + ServiceCatalog.DEFAULT_BASE_PORT,
      description = "Port of the API gateway; the other services follow it (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--targets-host",
      description = "Scrape every service on this host (127.0.0.1, host.docker.internal) instead of by its "
          + "service name on the Compose network.")
  String targetsHost;

  @Option(names = "--scrape-interval", defaultValue = "15s", description = "Default: ${DEFAULT-VALUE}.")
  String scrapeInterval;

  @Option(names = "--evaluation-interval", defaultValue = "15s", description = "Default: ${DEFAULT-VALUE}.")
  String evaluationInterval;

  @Option(names = "--slo-config", description = "YAML file with a top-level 'slos' list (default: 99.9% over 30d).")
  Path sloConfig;

  @Option(names = "--remote-write-url", description = "Add a remote_write endpoint to prometheus.yml.")
  String remoteWriteUrl;

  @Option(names = "--namespace", defaultValue = "pyairtable",
      description = "Namespace of the Kubernetes objects (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Override
  public Integer call() throws Exception {
    ScrapeTargets targets = targetsHost == null
        ? ScrapeTargets.byServiceName(basePort)
        : ScrapeTargets.onHost(targetsHost, basePort);
    MonitoringExport export = MonitoringExport.builder()
        .targets(targets)
        .scrapeInterval(scrapeInterval)
        .evaluationInterval(evaluationInterval)
        .slos(sloConfig == null ? SloConfig.defaults() : SloConfig.read(sloConfig))
        .remoteWrite(remoteWriteUrl)
        .kubernetesNamespace(namespace)
        .build();
    List<Path> written = export.writeConfigs(dir);
    System.out.println("wrote " + written.size() + " files to " + dir.toAbsolutePath());
    return 0;
  }
}
