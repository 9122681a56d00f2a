package io.pyairtable.metrics.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.pyairtable.metrics.CircuitState;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.service.FullMetricsService;
import io.pyairtable.metrics.examples.monitoring.GeneratedQueries;
import io.pyairtable.metrics.examples.monitoring.PrometheusProcess;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dashboards and rules with replicas: two instances of one service ({@value #SERVICE}, the turnkey
 * service of metrics-http) under different traffic (instance A: half its requests 500; instance B:
 * only 200s, four times as many), scraped by a real {@code prometheus} as two targets of one job.
 * Every panel query and rule expression, evaluated at one instant, returns series without an
 * {@code instance} label unless the panel is a per-instance one (its legend names the instance);
 * the 5xx-share panel and the availability SLO expression equal the pooled ratio (all 5xx of both
 * instances over all their requests, computed here from the per-instance rates), not the mean of
 * the instances' ratios; and a breaker open on one replica and closed on the other is one
 * CircuitBreakerOpen series ({@code max by} over the state set).
 */
class ReplicaAggregationLiveTest {

  static final String SERVICE = "user-service";

  /** Labels whose presence in a result makes it a per-instance series. */
  private static final Set<String> INSTANCE_LABELS = Set.of("instance");

  /** Alerts that are about one instance by design. */
  private static final Set<String> PER_INSTANCE_ALERTS = Set.of("ServiceDown");

  private final ObjectMapper json = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void panelsAndRulesAggregateTwoInstancesOfOneServiceIntoOneSeriesWithThePooledRatio() throws Exception {
    MetricsCollector collectorA = Metrics.builder(Map.of()).serviceName(SERVICE).version("1.0.0").initialize();
    MetricsCollector collectorB = Metrics.builder(Map.of()).serviceName(SERVICE).version("1.0.0").initialize();
    Javalin a = replica(collectorA).start("127.0.0.1", 0);
    Javalin b = replica(collectorB).start("127.0.0.1", 0);
    collectorA.infrastructure().updateCircuitBreakerState("upstream", CircuitState.OPEN);
    collectorB.infrastructure().updateCircuitBreakerState("upstream", CircuitState.CLOSED);
    ScheduledExecutorService traffic = Executors.newScheduledThreadPool(2);
    PrometheusProcess prometheus = null;
    try {
      String urlA = "http://127.0.0.1:" + a.port();
      String urlB = "http://127.0.0.1:" + b.port();
      traffic.scheduleAtFixedRate(() -> {
        PrometheusProcess.status(urlA + "/ok");
        PrometheusProcess.status(urlA + "/fail");
      }, 0, 100, TimeUnit.MILLISECONDS);
      traffic.scheduleAtFixedRate(() -> {
        for (int i = 0; i < 4; i++) {
          PrometheusProcess.status(urlB + "/ok");
        }
      }, 0, 100, TimeUnit.MILLISECONDS);

      MonitoringExport export = MonitoringExport.builder()
          .services(new Services(List.of(new MonitoredService(SERVICE, a.port(), null, null, Map.of(), null, null))))
          .targetsHost("127.0.0.1")
          .prometheus(p -> p.scrapeInterval("1s").evaluationInterval("1s").alertmanager(null).redisExporter(null)
              .selfTarget(null))
          .build();
      export.writeConfigs(dir);
      ObjectNode config = export.prometheusConfig();
      for (JsonNode job : config.get("scrape_configs")) {
        ((ArrayNode) job.get("static_configs").get(0).get("targets")).add("127.0.0.1:" + b.port());
      }
      Files.writeString(dir.resolve("prometheus.yml"), YamlDocuments.write(config));
      prometheus = PrometheusProcess.start(dir.resolve("prometheus.yml"), dir, "prometheus");
      PrometheusProcess p = prometheus;
      // both targets up and at least 10 s of traffic scraped from each
      String ready = "count(count_over_time(up{job=\"pyairtable-" + SERVICE + "\"}[1m]) >= 10) == 2";
      assertThat(p.poll(() -> !p.instantQuery(ready, null).path("data").path("result").isEmpty(),
          Duration.ofSeconds(90))).as("two targets with 10 scrapes; log " + p.log()).isTrue();
      traffic.shutdownNow();
      String at = Long.toString(System.currentTimeMillis() / 1000);

      // every panel and rule: one series per service unless it is a per-instance panel
      List<String> perInstanceLeaks = new ArrayList<>();
      Set<String> answered = new HashSet<>();
      for (Map.Entry<String, Map.Entry<String, String>> q : panelQueries().entrySet()) {
        JsonNode r = p.instantQuery(q.getValue().getKey(), at);
        assertThat(r.path("status").asText()).as(q.getKey()).isEqualTo("success");
        JsonNode result = r.path("data").path("result");
        if (!result.isEmpty()) {
          answered.add(q.getKey());
        }
        boolean perInstancePanel = q.getValue().getValue().contains("{{instance}}");
        for (JsonNode series : result) {
          if (!perInstancePanel && INSTANCE_LABELS.stream().anyMatch(l -> series.path("metric").has(l))) {
            perInstanceLeaks.add(q.getKey() + ": " + series.path("metric"));
          }
        }
      }
      for (Map.Entry<String, String> rule : GeneratedQueries.rules(export).entrySet()) {
        JsonNode r = p.instantQuery(rule.getValue(), at);
        assertThat(r.path("status").asText()).as(rule.getKey()).isEqualTo("success");
        if (PER_INSTANCE_ALERTS.stream().noneMatch(rule.getKey()::contains)) {
          for (JsonNode series : r.path("data").path("result")) {
            if (series.path("metric").has("instance")) {
              perInstanceLeaks.add(rule.getKey() + ": " + series.path("metric"));
            }
          }
        }
      }
      assertThat(perInstanceLeaks).as("series per instance where one per service is due").isEmpty();
      assertThat(answered).as("panels with data").contains(
          "pyairtable-overview / 5xx share by service / A", "pyairtable-overview / Request rate by service / A",
          "pyairtable-overview / Request latency / B", "pyairtable-overview / Running versions / A",
          "pyairtable-overview / Target health / A", "pyairtable-infrastructure / Circuit breaker state / A",
          "pyairtable-sla / Availability now / A");

      // the 5xx share: one series, the pooled ratio of both instances
      Rates rates = rates(p, "1m", at);
      assertThat(rates.perInstanceAll()).hasSize(2);
      double pooled = rates.pooledErrorRatio();
      assertThat(Math.abs(pooled - rates.meanOfInstanceRatios())).as("pooled differs from the mean of ratios")
          .isGreaterThan(0.02);
      JsonNode share = p.instantQuery(panelQueries().get("pyairtable-overview / 5xx share by service / A").getKey(), at)
          .path("data").path("result");
      assertThat(share).hasSize(1);
      assertThat(share.get(0).path("metric").path("service").asText()).isEqualTo(SERVICE);
      assertThat(share.get(0).path("value").get(1).asDouble()).isCloseTo(pooled, within(1e-9));

      // the availability SLO rule over 5m: the same pooled ratio over its window
      String sloExpr = GeneratedQueries.rules(export).entrySet().stream()
          .filter(e -> e.getKey().contains("slo:sli_error:ratio_rate5m") && e.getKey().contains("availability"))
          .map(Map.Entry::getValue).findFirst().orElseThrow();
      JsonNode sli = p.instantQuery(sloExpr, at).path("data").path("result");
      assertThat(sli).hasSize(1);
      assertThat(sli.get(0).path("value").get(1).asDouble()).isCloseTo(rates(p, "5m", at).pooledErrorRatio(),
          within(1e-9));

      // a breaker open on one replica: one CircuitBreakerOpen series for the service's breaker
      String breakerAlert = GeneratedQueries.rules(export).entrySet().stream()
          .filter(e -> e.getKey().contains("CircuitBreakerOpen")).map(Map.Entry::getValue).findFirst().orElseThrow();
      JsonNode open = p.instantQuery(breakerAlert, at).path("data").path("result");
      assertThat(open).hasSize(1);
      assertThat(json.convertValue(open.get(0).path("metric"), Map.class))
          .isEqualTo(Map.of("service", SERVICE, "circuit_name", "upstream"));
      JsonNode up = p.instantQuery(panelQueries().get("pyairtable-overview / Targets up / A").getKey(), at)
          .path("data").path("result");
      assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("2");
    } finally {
      traffic.shutdownNow();
      if (prometheus != null) {
        prometheus.close();
      }
      a.stop();
      b.stop();
    }
  }

  private static Javalin replica(MetricsCollector collector) {
    return FullMetricsService.builder(SERVICE).version("1.0.0").collector(collector).stopOnJvmShutdown(false)
        .configure(config -> {
          config.routes.get("/ok", ctx -> ctx.result("ok"));
          config.routes.get("/fail", ctx -> ctx.status(500).result("failed"));
        }).build();
  }

  /** Per-instance request rates of the service over {@code window} (client aborts left out, as the panels do). */
  private static Rates rates(PrometheusProcess prometheus, String window, String at) {
    JsonNode result = prometheus.instantQuery("sum by (instance, status_code) (rate("
        + MetricCatalog.HTTP_REQUESTS_TOTAL.name() + "{service=\"" + SERVICE + "\", status_code!=\"499\"}[" + window
        + "]))", at).path("data").path("result");
    Map<String, Double> all = new LinkedHashMap<>();
    Map<String, Double> errors = new LinkedHashMap<>();
    for (JsonNode s : result) {
      String instance = s.path("metric").path("instance").asText();
      double v = s.path("value").get(1).asDouble();
      all.merge(instance, v, Double::sum);
      errors.merge(instance, s.path("metric").path("status_code").asText().startsWith("5") ? v : 0.0, Double::sum);
    }
    return new Rates(all, errors);
  }

  /** Request rates by instance: all answered, and 5xx. */
  private record Rates(Map<String, Double> perInstanceAll, Map<String, Double> perInstanceErrors) {
    double pooledErrorRatio() {
      return perInstanceErrors.values().stream().mapToDouble(Double::doubleValue).sum()
          / perInstanceAll.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double meanOfInstanceRatios() {
      return perInstanceAll.keySet().stream()
          .mapToDouble(i -> perInstanceErrors.get(i) / perInstanceAll.get(i)).average().orElseThrow();
    }
  }

  /** dashboard / panel / refId → (query with the Grafana variables substituted, legend). */
  private static Map<String, Map.Entry<String, String>> panelQueries() {
    Map<String, String> variables = Map.of("$service", SERVICE, "$instance", ".*", "$__rate_interval", "1m");
    Map<String, Map.Entry<String, String>> queries = new LinkedHashMap<>();
    GeneratedQueries.panels(Dashboards.all(List.of(SERVICE)), variables)
        .forEach((key, q) -> queries.put(key, Map.entry(q.expr(), q.legend())));
    return queries;
  }
}
