package io.pyairtable.metrics.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The newcomer's loop, as {@code demo --with-alertmanager} runs it: the banner names every URL the
 * demo started (both emulators on the fixed ports asked for, Redis on its fixed port, Prometheus,
 * Alertmanager), where the dashboards are and the Compose command; the scripted incident makes
 * CircuitBreakerOpen fire and resolve, each printed by the console receiver as one line, well
 * within 5 minutes.
 */
class DemoAlertLoopTest {

  private static final Duration LOOP_DEADLINE = Duration.ofMinutes(4);

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void scriptedIncidentFiresAndResolvesCircuitBreakerOpenOnTheConsole() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int airtablePort = LoopbackPorts.free();
    int geminiPort = LoopbackPorts.free();
    int redisPort = LoopbackPorts.free();
    DemoOptions options = DemoOptions.builder().basePort(0).environment(Map.of()).withAlertmanager(true)
        .airtableEmulatorPort(airtablePort).geminiEmulatorPort(geminiPort).redisPort(redisPort)
        .out(new PrintStream(printed, true, StandardCharsets.UTF_8)).build();
    long t0 = System.nanoTime();
    try (RunningDemo demo = Demo.start(options)) {
      String banner = printed.toString(StandardCharsets.UTF_8);
      DemoMonitoring m = demo.monitoring();
      assertThat(m.prometheus()).isPresent();
      assertThat(m.alertmanager()).isPresent();
      assertThat(m.alertConsole()).isPresent();
      assertThat(banner)
          .contains("Airtable upstream the loopback emulator http://127.0.0.1:" + airtablePort)
          .contains("Gemini upstream   the loopback emulator http://127.0.0.1:" + geminiPort)
          .contains("Redis             redis://127.0.0.1:" + redisPort)
          .contains("Prometheus        " + m.prometheusUrl())
          .contains("Alertmanager      " + m.alertmanagerUrl())
          .contains("scripted incident: the Airtable upstream fails from 20 s to 80 s")
          .contains("Next steps")
          .contains("alerts in Prometheus:    " + m.prometheusUrl() + "/alerts")
          .contains("alerts in Alertmanager:  " + m.alertmanagerUrl() + "/#/alerts")
          .contains("dashboards (this run):   " + m.dashboards())
          .contains("bin/pyairtable-metrics export-configs --base-port " + demo.ports().get(ServiceCatalog.API_GATEWAY)
              + " monitoring && cd monitoring && GRAFANA_ADMIN_PASSWORD=choose-one docker-compose -f "
              + "docker-compose.monitoring.yml up -d");
      for (ServiceCatalog s : ServiceCatalog.all()) {
        assertThat(banner).contains(demo.metricsUrl(s));
      }
      try (Stream<Path> files = Files.list(m.dashboards())) {
        assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(7);
      }

      AlertConsole console = m.console();
      assertThat(poll(() -> firstIndex(console.lines(), "ALERT FIRING   CircuitBreakerOpen [critical]") >= 0,
          LOOP_DEADLINE)).as("fired; console: " + console.lines()).isTrue();
      long firedAfter = System.nanoTime() - t0;
      assertThat(poll(() -> firstIndex(console.lines(), "ALERT RESOLVED CircuitBreakerOpen [critical]")
          > firstIndex(console.lines(), "ALERT FIRING   CircuitBreakerOpen [critical]"), LOOP_DEADLINE))
          .as("resolved; console: " + console.lines()).isTrue();
      long resolvedAfter = System.nanoTime() - t0;
      System.out.printf("CircuitBreakerOpen fired after %d s and resolved after %d s; console:%n  %s%n",
          TimeUnit.NANOSECONDS.toSeconds(firedAfter), TimeUnit.NANOSECONDS.toSeconds(resolvedAfter),
          String.join("\n  ", console.lines()));
      assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern(
          "\\d\\d:\\d\\d:\\d\\d ALERT FIRING   CircuitBreakerOpen \\[critical\\] [a-z-]+: Circuit breaker \\S+ is open on "
              + "[a-z-]+\n");
    }
  }

  @Test
  void wildcardBindIsReachedOnLoopback() {
    assertThat(Demo.connectHost("0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(Demo.connectHost("127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(DemoOptions.builder().build().bind()).isEqualTo("127.0.0.1");
  }

  private static int firstIndex(List<String> lines, String prefixAfterTime) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).substring(9).startsWith(prefixAfterTime)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean poll(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return true;
  }
}
