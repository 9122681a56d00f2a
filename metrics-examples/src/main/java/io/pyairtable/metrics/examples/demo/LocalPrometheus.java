package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local {@code prometheus} for the demo, on a free 127.0.0.1 port, in a temporary directory,
 * with metrics-monitoring's whole generated tree (the {@code prometheus.yml}, alert and SLO rules,
 * dashboards under {@code grafana/dashboards}), scraping the demo's services every 5 seconds and
 * evaluating every 5 seconds, sending alerts to the demo's Alertmanager when there is one (no
 * Redis exporter: the demo has none).
 *
 * <pre>{@code
 * try (LocalPrometheus prom = LocalPrometheus.startIfInstalled("127.0.0.1", demo.ports(), null,
 *     LocalAlertmanager.DEMO_TIMING).orElseThrow()) {
 *   System.out.println(prom.url() + "/targets");
 * }
 * }</pre>
 */
public final class LocalPrometheus implements AutoCloseable {

  private final ExternalProcess process;
  private final int port;

  private LocalPrometheus(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one when {@code prometheus} is on the PATH, scraping {@code servicePorts} on 127.0.0.1, no Alertmanager. */
  public static Optional<LocalPrometheus> startIfInstalled(Map<ServiceCatalog, Integer> servicePorts) {
    return startIfInstalled("127.0.0.1", servicePorts, null, LocalAlertmanager.DEMO_TIMING);
  }

  /**
   * Starts one when {@code prometheus} is on the PATH, scraping {@code servicePorts} on
   * {@code host}, alerting {@code alertmanager} ({@code host:port}, null for none) with the
   * {@code for} durations of {@code timing}.
   */
  public static Optional<LocalPrometheus> startIfInstalled(String host, Map<ServiceCatalog, Integer> servicePorts,
      String alertmanager, AlertTiming timing) {
    return ExternalProcess.onPath("prometheus").map(binary -> start(binary, host, servicePorts, alertmanager, timing));
  }

  /** Starts {@code binary}; see {@link #startIfInstalled(String, Map, String, AlertTiming)}. */
  public static LocalPrometheus start(Path binary, String host, Map<ServiceCatalog, Integer> servicePorts,
      String alertmanager, AlertTiming timing) {
    int port = LoopbackPorts.free();
    Path dir;
    try {
      dir = Files.createTempDirectory("pyairtable-prometheus-");
    } catch (IOException e) {
      throw new IllegalStateException("no temporary directory for prometheus", e);
    }
    MonitoringExport.builder()
        .alertTiming(timing)
        .prometheus(p -> p.targets(ScrapeTargets.onHost(host, servicePorts)).scrapeInterval("5s")
            .evaluationInterval("5s").alertmanager(alertmanager).redisExporter(null).selfTarget("127.0.0.1:" + port))
        .build().writeConfigs(dir);
    ExternalProcess p = ExternalProcess.start("prometheus", dir, List.of(binary.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle"),
        ExternalProcess.answers200(URI.create("http://127.0.0.1:" + port + "/-/ready")), Duration.ofSeconds(30));
    return new LocalPrometheus(p, port);
  }


  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The exported dashboards (deleted with the directory when the demo stops). */
  public Path dashboards() {
    return directory().resolve("grafana").resolve("dashboards");
  }

  /** The directory holding the generated configuration. */
  public Path directory() {
    return process.directory();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
