package io.pyairtable.metrics.monitoring;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.RuleUnitTestFile.firing;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Dashboards;
import io.pyairtable.metrics.monitoring.grafana.Panel;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;
import io.pyairtable.metrics.monitoring.promql.Selector;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import io.pyairtable.metrics.monitoring.rules.ServiceAlerts;
import io.pyairtable.metrics.monitoring.rules.SloSeries;
import io.pyairtable.metrics.monitoring.services.Services;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool test rules} on the exported rules and the dashboards' ratio queries, for the
 * cases where a naive expression lies: error ratios are 0 (not empty) with traffic and no errors
 * and empty without traffic; client aborts (499) are neither errors nor latency; a breaker
 * flapping between open and half_open fires CircuitBreakerOpen; a cache that never hits fires
 * LowCacheHitRatio; a service from a services file gets its job, SLO rules and ServiceDown.
 */
class IncidentTruthRuleTest {

  private static final String API = ServiceCatalog.API_GATEWAY.serviceName();
  private static final String MCP = ServiceCatalog.MCP_SERVER.serviceName();
  private static final String AIRTABLE = ServiceCatalog.AIRTABLE_GATEWAY.serviceName();
  private static final String LLM = ServiceCatalog.LLM_ORCHESTRATOR.serviceName();

  /** What Grafana substitutes, with a 5 minute rate window. */
  private static final Map<String, String> GRAFANA = Map.of("$service", ".*", "$instance", ".*",
      "$__rate_interval", "5m");

  @TempDir
  Path dir;

  @Test
  void errorRatiosAreZeroWithTrafficAndNoErrorsAndEmptyWithoutTraffic() throws Exception {
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.ALERTS_FILE,
        MonitoringExport.SLO_RULES_FILE), "1m");
    RuleUnitTestFile.Group g = file.group("1m");
    // mcp-server: traffic, never a 5xx, every request fast; the three others: no traffic at all.
    g.series(requests(MCP, "200"), "0+60x40");
    g.series(bucket(MCP, "200", "1.0"), "0+60x40").series(count(MCP, "200"), "0+60x40");
    // airtable-gateway: lookups that all miss.
    g.series(cache(AIRTABLE, "miss"), "0+50x40");
    for (String slo : List.of("availability", "latency")) {
      g.expectQuery("15m", SloSeries.errorRatio("5m") + "{slo=\"" + slo + "\"}",
          Map.of(SloSeries.errorRatio("5m") + "{service=\"" + MCP + "\", slo=\"" + slo + "\"}", 0.0));
    }
    g.expectQuery("15m", "sum by (service) (" + SloSeries.ERROR_BUDGET_REMAINING + ")",
        Map.of("{service=\"" + MCP + "\"}", 2.0));
    // HighErrorRate's ratio (its threshold turned into >= 0): 0 for mcp-server, nothing for the others.
    String highErrorRatio = alert("HighErrorRate").expr().replace(") > 0.1", ") >= 0");
    g.expectQuery("15m", highErrorRatio, Map.of("{service=\"" + MCP + "\"}", 0.0));
    // Dashboards: the 5xx share panels read 0 for mcp-server; the availability panel reads 1.
    g.expectQuery("15m", panel("pyairtable-overview", "5xx share by service"), Map.of("{service=\"" + MCP + "\"}", 0.0));
    g.expectQuery("15m", panel("pyairtable-overview", "5xx share"), Map.of("{}", 0.0));
    g.expectQuery("15m", panel("pyairtable-sla", "Availability now"), Map.of("{service=\"" + MCP + "\"}", 1.0));
    g.expectQuery("15m", panel("pyairtable-airtable-gateway", "Response cache hit ratio"), Map.of());
    // A cache that never hits: LowCacheHitRatio fires at 0%, it does not stay silent.
    g.expectQuery("15m", alert("LowCacheHitRatio").expr(), Map.of("{service=\"" + AIRTABLE + "\"}", 0.0));
    g.expect("15m", "LowCacheHitRatio", firing(alert("LowCacheHitRatio"), Map.of("service", AIRTABLE), "0%"));
    g.expect("15m", "HighErrorRate");
    assertPromtoolPasses(file, MonitoringExport.builder().build());
  }

  @Test
  void clientAbortsAreNeitherServerErrorsNorLatency() throws Exception {
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.ALERTS_FILE,
        MonitoringExport.SLO_RULES_FILE), "1m");
    RuleUnitTestFile.Group g = file.group("1m");
    // api-gateway per minute: 10 answered 200 within 0.1 s, 10 answered 500 within 0.1 s,
    // 20 clients that gave up after 10 s (499).
    g.series(requests(API, "200"), "0+10x40").series(requests(API, "500"), "0+10x40")
        .series(requests(API, "499"), "0+20x40");
    for (String status : List.of("200", "500")) {
      for (double le : HTTP_REQUEST_DURATION_SECONDS.buckets()) {
        g.series(bucket(API, status, Double.toString(le)), le >= 0.1 ? "0+10x40" : "0x40");
      }
      g.series(bucket(API, status, "+Inf"), "0+10x40").series(count(API, status), "0+10x40");
    }
    for (double le : HTTP_REQUEST_DURATION_SECONDS.buckets()) {
      g.series(bucket(API, "499", Double.toString(le)), le >= 10 ? "0+20x40" : "0x40");
    }
    g.series(bucket(API, "499", "+Inf"), "0+20x40").series(count(API, "499"), "0+20x40");
    // Availability: 10 bad of 20 answered = 0.5 (0.25 if aborts were good events, 0.75 if errors).
    g.expectQuery("15m", SloSeries.errorRatio("5m") + "{slo=\"availability\"}",
        Map.of(SloSeries.errorRatio("5m") + "{service=\"" + API + "\", slo=\"availability\"}", 0.5));
    g.expect("15m", "HighErrorRate", firing(alert("HighErrorRate"), Map.of("service", API), "50%"));
    g.expectQuery("15m", panel("pyairtable-overview", "5xx share by service"),
        Map.of("{service=\"" + API + "\"}", 0.5));
    // Latency: every answered request is fast; the aborted 10 s waits count nowhere.
    g.expectQuery("15m", SloSeries.errorRatio("5m") + "{slo=\"latency\"}",
        Map.of(SloSeries.errorRatio("5m") + "{service=\"" + API + "\", slo=\"latency\"}", 0.0));
    g.expect("15m", "HighLatency");
    g.expectQuery("15m", "max(" + panel("pyairtable-sla", "Request latency p95 against the 2 s alert threshold")
        + ") < bool 0.1", Map.of("{}", 1.0));
    assertPromtoolPasses(file, MonitoringExport.builder().build());
  }

  @Test
  void breakerFlappingBetweenOpenAndHalfOpenFiresAndAClosedOrRecoveredBreakerDoesNot() throws Exception {
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.ALERTS_FILE), "10s");
    RuleUnitTestFile.Group g = file.group("10s");
    // airtable: open 10 s, half_open 10 s, open again ... for 5 minutes (a dependency that keeps failing).
    g.series(state("airtable", "open"), "1 0".repeat(1).concat(" 1 0".repeat(15)));
    g.series(state("airtable", "half_open"), "0 1".concat(" 0 1".repeat(15)));
    g.series(state("airtable", "closed"), "0x31");
    // gemini: open for 20 s, half_open 10 s, then closed: it recovered before the alert's minute.
    g.series(state("gemini", "open"), "0 1 1 0x28");
    g.series(state("gemini", "half_open"), "0 0 0 1 0x27");
    g.series(state("gemini", "closed"), "1 0 0 0 1x27");
    // redis: closed all along.
    g.series(state("redis", "open"), "0x31").series(state("redis", "half_open"), "0x31")
        .series(state("redis", "closed"), "1x31");
    g.expect("50s", "CircuitBreakerOpen");
    g.expect("300s", "CircuitBreakerOpen", firing(alert("CircuitBreakerOpen"),
        Map.of("service", AIRTABLE, "circuit_name", "airtable"), "1"));
    assertPromtoolPasses(file, MonitoringExport.builder().build());
  }

  @Test
  void aServiceFromAServicesFileGetsAScrapeJobSloRulesAndServiceDown() throws Exception {
    Path servicesFile = dir.resolve("services.yml");
    Files.writeString(servicesFile, """
        services:
          - name: user-service
            port: 8010
            slo: {availabilityObjective: 0.995}
            labels: {team: accounts}
        """);
    Services services = Services.read(servicesFile);
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.ALERTS_FILE,
        MonitoringExport.SLO_RULES_FILE), "1m");
    RuleUnitTestFile.Group g = file.group("1m");
    String job = ServiceCatalog.of("user-service", 0).jobName();
    g.series(ScrapeJobs.up(Matcher.equal("job", job), Matcher.equal("instance", "127.0.0.1:8010")), "0x20");
    g.series(requests("user-service", "200"), "0+30x20");
    g.expect("5m", "ServiceDown", firing(alert("ServiceDown"), Map.of("service", "user-service", "job", job,
        "instance", "127.0.0.1:8010"), "0"));
    g.expectQuery("5m", SloSeries.errorRatio("5m") + "{service=\"user-service\", slo=\"availability\"}",
        Map.of(SloSeries.errorRatio("5m") + "{service=\"user-service\", slo=\"availability\"}", 0.0));
    g.expectQuery("5m", SloSeries.OBJECTIVE + "{service=\"user-service\"}", Map.of(
        SloSeries.OBJECTIVE + "{service=\"user-service\", slo=\"availability\"}", 0.995,
        SloSeries.OBJECTIVE + "{service=\"user-service\", slo=\"latency\"}", 0.999));
    g.expectQuery("5m", "count(" + SloSeries.OBJECTIVE + "{slo=\"availability\"})", Map.of("{}", 5.0));
    MonitoringExport export = MonitoringExport.builder().services(services).build();
    assertPromtoolPasses(file, export);

    assertThat(services.names()).containsExactly(API, MCP, AIRTABLE, LLM, "user-service");
    ExternalTool.Result check = ExternalTool.run(dir, "promtool", "check", "config", "prometheus.yml");
    assertThat(check.exitCode()).as(check.output()).isZero();
    String prometheus = Files.readString(dir.resolve("prometheus.yml"));
    assertThat(prometheus).contains("job_name: \"" + job + "\"").contains("\"127.0.0.1:8010\"")
        .contains("team: \"accounts\"");
    assertThat(Files.readString(dir.resolve("k8s/servicemonitors.yaml")))
        .contains("name: \"" + job + "\"").contains("app.kubernetes.io/name: \"user-service\"")
        .contains("targetLabel: \"team\"");
    assertThat(Files.readString(dir.resolve("grafana/dashboards/pyairtable-overview.json")))
        .contains("\"query\" : \"api-gateway,mcp-server,airtable-gateway,llm-orchestrator,user-service\"");
  }

  private void assertPromtoolPasses(RuleUnitTestFile file, MonitoringExport export) throws Exception {
    export.writeConfigs(dir);
    Files.writeString(dir.resolve("rules.test.yml"), YamlDocuments.write(file.toJson()));
    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "test", "rules", "rules.test.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  /** The one query of a dashboard panel, Grafana variables substituted. */
  private static String panel(String uid, String title) {
    for (Dashboard d : Dashboards.all()) {
      if (d.uid().equals(uid)) {
        for (Panel p : d.panels()) {
          if (p.title().equals(title)) {
            assertThat(p.queries()).hasSize(1);
            String expr = p.queries().get(0).expr();
            for (Map.Entry<String, String> v : new LinkedHashMap<>(GRAFANA).entrySet()) {
              expr = expr.replace(v.getKey(), v.getValue());
            }
            return expr;
          }
        }
      }
    }
    throw new AssertionError("no panel " + uid + " / " + title);
  }

  private static AlertRule alert(String name) {
    return ServiceAlerts.all().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  private static Selector requests(String service, String status) {
    return Selector.of(HTTP_REQUESTS_TOTAL).and(Matcher.equal("service", service), Matcher.equal("method", "GET"),
        Matcher.equal("endpoint", "/api/records"), Matcher.equal("status_code", status));
  }

  private static Selector bucket(String service, String status, String le) {
    return Selector.bucket(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", service),
        Matcher.equal("method", "GET"), Matcher.equal("endpoint", "/api/records"),
        Matcher.equal("status_code", status), Matcher.equal("le", le));
  }

  private static Selector count(String service, String status) {
    return Selector.count(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", service),
        Matcher.equal("method", "GET"), Matcher.equal("endpoint", "/api/records"),
        Matcher.equal("status_code", status));
  }

  private static Selector cache(String service, String result) {
    return Selector.of(CACHE_OPERATIONS_TOTAL).and(Matcher.equal("service", service),
        Matcher.equal("operation", "get"), Matcher.equal("result", result));
  }

  private static Selector state(String circuit, String state) {
    return Selector.of(CIRCUIT_BREAKER_STATE).and(Matcher.equal("service", AIRTABLE),
        Matcher.equal("circuit_name", circuit), Matcher.equal(CIRCUIT_BREAKER_STATE.name(), state));
  }
}
