package io.pyairtable.metrics.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.catalog.ServiceCatalog;
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
    CommandLine cli = new CommandLine(new PyAirtableMetricsCli());
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("demo", "export-configs", "export-dashboards");
    assertThat(cli.getSubcommands()).containsOnlyKeys("demo", "export-configs", "export-dashboards", "help");
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
    CommandLine cli = new CommandLine(new PyAirtableMetricsCli());
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--base-port", "65534", "--no-traffic")).isNotZero();
    assertThat(err.toString()).contains("base port");
  }

  @Test
  void demoOffersTheAlertLoopBindAndFixedHelperPortsAndRejectsBadValuesWithoutEchoingTheWebhook() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new PyAirtableMetricsCli());
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("demo", "--help")).isZero();
    assertThat(out.toString()).contains("--with-alertmanager", "--alert-webhook", "--no-incident", "--bind",
        "--airtable-emulator-port", "--gemini-emulator-port", "--redis-port");

    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("demo", "--redis-port", "70000", "--no-traffic")).isNotZero();
    assertThat(err.toString()).contains("Redis port must be 0 (a free one) or 1-65535, was 70000");
    StringWriter err2 = new StringWriter();
    cli.setErr(new PrintWriter(err2));
    assertThat(cli.execute("demo", "--alert-webhook", "hooks.example/T0/secret-part", "--no-traffic")).isNotZero();
    assertThat(err2.toString()).contains("alert webhook must be an http(s) URL").doesNotContain("secret-part");
  }
}
