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
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
    Process prometheus = null;
    try {
      String urlA = "http://127.0.0.1:" + a.port();
      String urlB = "http://127.0.0.1:" + b.port();
      traffic.scheduleAtFixedRate(() -> {
        status(urlA + "/ok");
        status(urlA + "/fail");
      }, 0, 100, TimeUnit.MILLISECONDS);
      traffic.scheduleAtFixedRate(() -> {
        for (int i = 0; i < 4; i++) {
          status(urlB + "/ok");
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
      int port = freeLoopbackPort();
      prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      String base = "http://127.0.0.1:" + port;
      Process p = prometheus;
      // both targets up and at least 10 s of traffic scraped from each
      String ready = "count(count_over_time(up{job=\"pyairtable-" + SERVICE + "\"}[1m]) >= 10) == 2";
      assertThat(poll(p, () -> !query(base, ready, null).path("data").path("result").isEmpty(),
          Duration.ofSeconds(90))).as("two targets with 10 scrapes; log " + dir.resolve("prometheus.log")).isTrue();
      traffic.shutdownNow();
      String at = Long.toString(System.currentTimeMillis() / 1000);

      // every panel and rule: one series per service unless it is a per-instance panel
      List<String> perInstanceLeaks = new ArrayList<>();
      Set<String> answered = new HashSet<>();
      for (Map.Entry<String, Map.Entry<String, String>> q : panelQueries().entrySet()) {
        JsonNode r = query(base, q.getValue().getKey(), at);
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
        JsonNode r = query(base, rule.getValue(), at);
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
      Rates rates = rates(base, "1m", at);
      assertThat(rates.perInstanceAll()).hasSize(2);
      double pooled = rates.pooledErrorRatio();
      assertThat(Math.abs(pooled - rates.meanOfInstanceRatios())).as("pooled differs from the mean of ratios")
          .isGreaterThan(0.02);
      JsonNode share = query(base, panelQueries().get("pyairtable-overview / 5xx share by service / A").getKey(), at)
          .path("data").path("result");
      assertThat(share).hasSize(1);
      assertThat(share.get(0).path("metric").path("service").asText()).isEqualTo(SERVICE);
      assertThat(share.get(0).path("value").get(1).asDouble()).isCloseTo(pooled, within(1e-9));

      // the availability SLO rule over 5m: the same pooled ratio over its window
      String sloExpr = GeneratedQueries.rules(export).entrySet().stream()
          .filter(e -> e.getKey().contains("slo:sli_error:ratio_rate5m") && e.getKey().contains("availability"))
          .map(Map.Entry::getValue).findFirst().orElseThrow();
      JsonNode sli = query(base, sloExpr, at).path("data").path("result");
      assertThat(sli).hasSize(1);
      assertThat(sli.get(0).path("value").get(1).asDouble()).isCloseTo(rates(base, "5m", at).pooledErrorRatio(),
          within(1e-9));

      // a breaker open on one replica: one CircuitBreakerOpen series for the service's breaker
      String breakerAlert = GeneratedQueries.rules(export).entrySet().stream()
          .filter(e -> e.getKey().contains("CircuitBreakerOpen")).map(Map.Entry::getValue).findFirst().orElseThrow();
      JsonNode open = query(base, breakerAlert, at).path("data").path("result");
      assertThat(open).hasSize(1);
      assertThat(json.convertValue(open.get(0).path("metric"), Map.class))
          .isEqualTo(Map.of("service", SERVICE, "circuit_name", "upstream"));
      JsonNode up = query(base, panelQueries().get("pyairtable-overview / Targets up / A").getKey(), at)
          .path("data").path("result");
      assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("2");
    } finally {
      traffic.shutdownNow();
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
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
  private Rates rates(String base, String window, String at) {
    JsonNode result = query(base, "sum by (instance, status_code) (rate(" + MetricCatalog.HTTP_REQUESTS_TOTAL.name()
        + "{service=\"" + SERVICE + "\", status_code!=\"499\"}[" + window + "]))", at).path("data").path("result");
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

  private JsonNode query(String base, String promql, String time) {
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + (time == null ? "" : "&time=" + time);
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build();
    try {
      return json.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      return json.createObjectNode().put("status", "error").put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static boolean poll(Process prometheus, java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (prometheus.waitFor(500, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("prometheus exited with " + prometheus.exitValue());
      }
    }
    return condition.getAsBoolean();
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
