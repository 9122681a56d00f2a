package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;
import io.pyairtable.metrics.monitoring.stack.AlertmanagerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A local Alertmanager for the demo (Debian's {@code prometheus-alertmanager}, or
 * {@code alertmanager} from the PATH) on a free 127.0.0.1 port, clustering off, in a temporary
 * directory, with metrics-monitoring's routes and inhibitions: notifications go to a
 * Slack-compatible webhook (its URL written to a file only the owner reads) or to Alertmanager's
 * webhook JSON receiver (the demo's {@link AlertConsole}).
 *
 * <pre>{@code
 * try (LocalAlertmanager am = LocalAlertmanager.startIfInstalled(null, console.url(),
 *     LocalAlertmanager.DEMO_TIMING).orElseThrow()) {
 *   System.out.println(am.url());
 * }
 * }</pre>
 */
public final class LocalAlertmanager implements AutoCloseable {

  /** The binary names looked up on the PATH, Debian's first. */
  public static final List<String> BINARIES = List.of("prometheus-alertmanager", "alertmanager");

  /** Alert timings short enough for the demo loop: for 15 s, group_wait 1 s, group_interval 5 s. */
  public static final AlertTiming DEMO_TIMING = AlertTiming.production().withAllFor("15s").groupWait("1s")
      .groupInterval("5s").repeatInterval("1h");

  private final ExternalProcess process;
  private final int port;

  private LocalAlertmanager(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The binary on the PATH, if there is one. */
  public static Optional<Path> binary() {
    return BINARIES.stream().map(ExternalProcess::onPath).flatMap(Optional::stream).findFirst();
  }

  /**
   * Starts one when a binary is on the PATH: notifications to the Slack-compatible
   * {@code slackWebhookUrl} when given, else as webhook JSON to {@code webhookUrl}.
   */
  public static Optional<LocalAlertmanager> startIfInstalled(String slackWebhookUrl, String webhookUrl,
      AlertTiming timing) {
    return binary().map(b -> start(b, slackWebhookUrl, webhookUrl, timing));
  }

  /** Starts {@code binary}; see {@link #startIfInstalled}. */
  public static LocalAlertmanager start(Path binary, String slackWebhookUrl, String webhookUrl, AlertTiming timing) {
    int port = LoopbackPorts.free();
    Path dir;
    try {
      dir = Files.createTempDirectory("pyairtable-alertmanager-");
      AlertmanagerConfig.Builder config;
      if (slackWebhookUrl != null) {
        // The URL is a secret: kept in an owner-only file, never in the configuration.
        Path file = dir.resolve("slack-webhook-url");
        Files.writeString(file, slackWebhookUrl);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        config = AlertmanagerConfig.builder().slack(file.toString());
      } else {
        config = AlertmanagerConfig.builder().webhook(webhookUrl);
      }
      Files.writeString(dir.resolve("alertmanager.yml"), YamlDocuments.write(config.timing(timing).build().toJson()));
    } catch (IOException e) {
      throw new IllegalStateException("no temporary directory for alertmanager", e);
    }
    ExternalProcess p = ExternalProcess.start("alertmanager", dir, List.of(binary.toString(),
        "--config.file=" + dir.resolve("alertmanager.yml"),
        "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address="),
        ExternalProcess.answers200(URI.create("http://127.0.0.1:" + port + "/-/ready")), Duration.ofSeconds(30));
    return new LocalAlertmanager(p, port);
  }


  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code 127.0.0.1:PORT}, as Prometheus' alerting config names it. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
