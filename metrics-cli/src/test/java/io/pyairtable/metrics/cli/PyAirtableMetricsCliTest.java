package io.pyairtable.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PyAirtableMetricsCliTest {

  @TempDir
  Path dir;

  @Test
  void helpListsTheDemoAndTheMonitoringExports() {
    CommandLine cli = PyAirtableMetricsCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("demo", "serve", "export-configs", "export-dashboards");
    assertThat(cli.getSubcommands()).containsOnlyKeys("demo", "serve", "export-configs", "export-dashboards", "help");
  }

  @Test
  void exportConfigsWritesPrometheusConfigScrapingTheServicePorts() throws Exception {
    assertThat(PyAirtableMetricsCli.run("export-configs", "--targets-host", "127.0.0.1", "--base-port", "9100",
        dir.toString())).isZero();
    String prometheus = Files.readString(dir.resolve("prometheus.yml"));
    for (ServiceCatalog s : ServiceCatalog.all()) {
      assertThat(prometheus).contains("127.0.0.1:" + s.port(9100)).contains(s.jobName());
    }
  }

  @Test
  void exportConfigsWritesWorkloadsWhosePodsOutliveTheServicesShutdownGrace() throws Exception {
    assertThat(PyAirtableMetricsCli.run("export-configs", "--image-pattern", "registry.example.com/pyairtable-{service}:2.0",
        "--redis-cluster-nodes", "redis-0.redis:6379,redis-1.redis:6379", dir.toString())).isZero();
    Path workloads = dir.resolve("k8s/workloads");
    String gateway = Files.readString(workloads.resolve("airtable-gateway.yaml"));
    long grace = ServerLimits.defaults().shutdownGrace().toSeconds();
    // the pre-stop delay (5 s) and a margin (5 s) around the services' own grace
    assertThat(gateway).contains("terminationGracePeriodSeconds: " + (grace + 10))
        .contains("image: \"registry.example.com/pyairtable-airtable-gateway:2.0\"")
        .contains("- \"serve\"\n").contains("- \"airtable-gateway\"\n")
        .doesNotContain("prometheus.io");
    assertThat(Files.readString(workloads.resolve("config.yaml")))
        .contains("REDIS_CLUSTER_NODES: \"redis-0.redis:6379,redis-1.redis:6379\"").doesNotContain("REDIS_URL");
    try (Stream<Path> files = Files.list(workloads)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.yaml",
          "api-gateway.yaml", "mcp-server.yaml", "airtable-gateway.yaml", "llm-orchestrator.yaml");
    }
  }

  @Test
  void exportDashboardsWritesTheDashboardJsonFiles() throws Exception {
    assertThat(PyAirtableMetricsCli.run("export-dashboards", dir.toString())).isZero();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(7);
    }
  }

  @Test
  void demoDurationsReadSecondsMinutesHoursMillisAndIso() {
    DemoCommand.DurationConverter c = new DemoCommand.DurationConverter();
    assertThat(c.convert("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class);
    assertThatThrownBy(() -> c.convert("10x")).isInstanceOf(CommandLine.TypeConversionException.class);
  }

  @Test
  void demoRejectsABasePortThatLeavesNoRoomForTheFourServices() {
    StringWriter err = new StringWriter();
    CommandLine cli = PyAirtableMetricsCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--base-port", "65534", "--no-traffic")).isNotZero();
    assertThat(err.toString()).contains("base port");
  }

  @Test
  void demoOffersTheAlertLoopBindAndFixedHelperPortsAndRejectsBadValuesWithoutEchoingTheWebhook() {
    StringWriter out = new StringWriter();
    CommandLine cli = PyAirtableMetricsCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("demo", "--help")).isZero();
    assertThat(out.toString()).contains("--with-alertmanager", "--alert-webhook", "--no-incident", "--bind",
        "--airtable-emulator-port", "--gemini-emulator-port", "--redis-port", "--redis-cluster-nodes");

    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--redis-port", "70000", "--no-traffic")).isNotZero();
    assertThat(err.toString()).contains("Redis port must be 0 (a free one) or 1-65535, was 70000");
    StringWriter err2 = new StringWriter();
    cli.setErr(new PrintWriter(err2));
    assertThat(cli.execute("demo", "--alert-webhook", "hooks.example/T0/secret-part", "--no-traffic")).isNotZero();
    assertThat(err2.toString()).contains("alert webhook must be an http(s) URL").doesNotContain("secret-part");
    StringWriter err3 = new StringWriter();
    cli.setErr(new PrintWriter(err3));
    assertThat(cli.execute("demo", "--redis-cluster-nodes", "127.0.0.1:7000,localhost", "--no-traffic")).isNotZero();
    assertThat(err3.toString()).contains("cluster node is not host:port: localhost");
  }
}
