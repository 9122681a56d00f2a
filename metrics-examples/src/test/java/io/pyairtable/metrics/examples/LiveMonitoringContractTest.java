package io.pyairtable.metrics.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.DemoOptions;
import io.pyairtable.metrics.examples.demo.RunningDemo;
import io.pyairtable.metrics.examples.monitoring.GeneratedQueries;
import io.pyairtable.metrics.examples.monitoring.PrometheusProcess;
import io.pyairtable.metrics.http.service.FullMetricsService;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.rules.SloSeries;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring contract against the running demo: a real {@code prometheus} on a free loopback
 * port, configured by metrics-monitoring's generated {@code prometheus.yml} and rule files (1 s
 * scrape and evaluation), scrapes the four demo services under traffic. Then every dashboard query
 * (Grafana variables substituted) and every rule expression is evaluated through Prometheus' HTTP
 * API: none may error, every panel query must return at least one series, every target must be up
 * and every rule must evaluate healthily. A fifth, user-defined service ({@value #USER_SERVICE}, the
 * turnkey service of metrics-http under light traffic) comes from the services list: it gets its
 * scrape job (up), SLO series (availability 0 without errors), a place on the dashboards' service
 * variable and a ServiceMonitor.
 */
class LiveMonitoringContractTest {

  /** What Grafana would substitute: all services and instances, a rate window of four 1 s scrapes and more. */

  private static final Duration DATA_DEADLINE = Duration.ofSeconds(90);

  static final String USER_SERVICE = "user-service";

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyDashboardQueryReturnsSeriesAndEveryRuleEvaluatesAgainstTheRunningDemo() throws Exception {
    DemoOptions options = DemoOptions.builder().basePort(0).environment(Map.of()).traffic(true)
        .withPrometheus(false).out(new PrintStream(OutputStream.nullOutputStream())).build();
    Javalin users = FullMetricsService.createServiceWithFullMetrics(USER_SERVICE, "1.0.0", null,
        config -> config.routes.get("/hello", ctx -> ctx.result("hi")));
    users.start("127.0.0.1", 0);
    ScheduledExecutorService userTraffic = Executors.newSingleThreadScheduledExecutor();
    try (AutoCloseable stopUsers = users::stop; RunningDemo demo = Demo.start(options);
        AutoCloseable stopUserTraffic = userTraffic::shutdownNow) {
      String usersUrl = "http://127.0.0.1:" + users.port();
      userTraffic.scheduleAtFixedRate(() -> PrometheusProcess.status(usersUrl + "/hello"), 0, 250,
          TimeUnit.MILLISECONDS);
      List<MonitoredService> monitored = new ArrayList<>(Services.defaults().services());
      monitored.add(new MonitoredService(USER_SERVICE, users.port(), null, null, Map.of(), null, null));
      MonitoringExport export = MonitoringExport.builder()
          .services(new Services(monitored))
          .prometheus(p -> p.targets(ScrapeTargets.onHost("127.0.0.1", demo.ports())
                  .with(USER_SERVICE, "127.0.0.1:" + users.port()))
              .scrapeInterval("1s").evaluationInterval("1s").alertmanager(null).redisExporter(null).selfTarget(null))
          .build();
      export.writeConfigs(dir);
      try (PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus.yml"), dir, "prometheus")) {
        Map<String, String> panelQueries = GeneratedQueries.panelExpressions();
        // Wait until the traffic has produced data for every panel, or the deadline passes.
        prometheus.poll(() -> emptyOrFailing(prometheus, panelQueries).isEmpty(), DATA_DEADLINE);

        List<String> failures = emptyOrFailing(prometheus, panelQueries);
        for (Map.Entry<String, String> rule : GeneratedQueries.rules(export).entrySet()) {
          JsonNode r = prometheus.instantQuery(rule.getValue(), null);
          if (!r.path("status").asText().equals("success")) {
            failures.add(rule.getKey() + ": " + r.path("error").asText() + "\n  " + rule.getValue());
          }
        }
        failures.addAll(downTargets(prometheus, demo));
        failures.addAll(unhealthyRules(prometheus));
        prometheus.poll(() -> userAvailability(prometheus).size() == 1, DATA_DEADLINE);
        JsonNode userSli = userAvailability(prometheus);
        assertThat(userSli).as("availability SLI of " + USER_SERVICE).hasSize(1);
        assertThat(userSli.get(0).path("value").get(1).asText()).isEqualTo("0");
        assertThat(export.dashboards()).allSatisfy(d -> assertThat(d.toJson().path("templating").path("list")
            .get(1).path("query").asText()).endsWith(",llm-orchestrator," + USER_SERVICE));
        assertThat(Files.readString(dir.resolve("k8s/servicemonitors.yaml")))
            .contains("name: \"pyairtable-" + USER_SERVICE + "\"");
        assertThat(failures).as("panels without data, query errors, down targets, unhealthy rules; "
            + "prometheus log: " + prometheus.log()).isEmpty();
        // every target of every panel was evaluated: no two share a key and none was dropped
        assertThat(panelQueries).hasSize(Dashboards.all().stream()
            .flatMap(d -> d.panels().stream()).mapToInt(p -> p.queries().size()).sum());
      }
    }
  }

  private static JsonNode userAvailability(PrometheusProcess prometheus) {
    return prometheus.instantQuery(SloSeries.errorRatio("5m") + "{service=\"" + USER_SERVICE
        + "\", slo=\"availability\"}", null).path("data").path("result");
  }

  private static List<String> emptyOrFailing(PrometheusProcess prometheus, Map<String, String> queries) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      JsonNode r = prometheus.instantQuery(q.getValue(), null);
      if (!r.path("status").asText().equals("success")) {
        problems.add(q.getKey() + ": error " + r.path("error").asText() + "\n  " + q.getValue());
      } else if (r.path("data").path("result").isEmpty()) {
        problems.add(q.getKey() + ": no series\n  " + q.getValue());
      }
    }
    return problems;
  }

  private static List<String> downTargets(PrometheusProcess prometheus, RunningDemo demo) {
    List<String> problems = new ArrayList<>();
    JsonNode active = prometheus.get("/api/v1/targets").path("data").path("activeTargets");
    if (active.size() != demo.ports().size() + 1) {
      problems.add("expected " + (demo.ports().size() + 1) + " targets, Prometheus has " + active.size());
    }
    for (JsonNode t : active) {
      if (!t.path("health").asText().equals("up")) {
        problems.add("target " + t.path("scrapeUrl").asText() + " is " + t.path("health").asText() + ": "
            + t.path("lastError").asText());
      }
    }
    List<ServiceCatalog> expected = new ArrayList<>(demo.ports().keySet());
    expected.add(ServiceCatalog.of(USER_SERVICE, 0));
    for (ServiceCatalog s : expected) {
      boolean found = false;
      for (JsonNode t : active) {
        found |= t.path("labels").path("job").asText().equals(s.jobName());
      }
      if (!found) {
        problems.add("no target for job " + s.jobName());
      }
    }
    return problems;
  }

  private static List<String> unhealthyRules(PrometheusProcess prometheus) {
    List<String> problems = new ArrayList<>();
    for (JsonNode g : prometheus.get("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode r : g.path("rules")) {
        String health = r.path("health").asText();
        if (!health.equals("ok") && !health.equals("unknown")) {
          problems.add("rule " + g.path("name").asText() + " / " + r.path("name").asText() + " is " + health + ": "
              + r.path("lastError").asText());
        }
      }
    }
    return problems;
  }
}
