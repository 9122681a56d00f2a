package io.pyairtable.metrics.monitoring;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.RuleUnitTestFile.firing;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Selector;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import io.pyairtable.metrics.monitoring.rules.ServiceAlerts;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.rules.SloRules;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code promtool test rules} on the exported rule files: every alert is shown firing and not
 * firing on synthetic series, with exact labels and expanded annotations.
 */
class AlertRulesBehaviourTest {

  private static final String API = ServiceCatalog.API_GATEWAY.serviceName();
  private static final String MCP = ServiceCatalog.MCP_SERVER.serviceName();
  private static final String AIRTABLE = ServiceCatalog.AIRTABLE_GATEWAY.serviceName();
  private static final String LLM = ServiceCatalog.LLM_ORCHESTRATOR.serviceName();

  @TempDir
  Path dir;

  @Test
  void readmeAlertsFireOnTheirConditionAndStayQuietOtherwise() throws Exception {
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.ALERTS_FILE), "1m");
    readmeAlerts(file.group("1m"));
    assertPromtoolPasses(file);
  }

  @Test
  void everyBurnRatePairFiresAndShortSpikesOrSlowBurnsBelowBudgetDoNot() throws Exception {
    // Five-minute evaluation over one day of two-minute samples keeps promtool fast.
    RuleUnitTestFile file = new RuleUnitTestFile(List.of(MonitoringExport.SLO_RULES_FILE), "5m");
    availabilityBurnRates(file.group("2m"));
    latencyBurnRateAndQuietService(file.group("2m"));
    assertPromtoolPasses(file);
  }

  private void assertPromtoolPasses(RuleUnitTestFile file) throws Exception {
    MonitoringExport.exportMonitoringConfigs(dir);
    Files.writeString(dir.resolve("rules.test.yml"), YamlDocuments.write(file.toJson()));

    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "test", "rules", "rules.test.yml");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  private static void readmeAlerts(RuleUnitTestFile.Group g) {
    // ServiceDown: one job down, one up, a foreign job down.
    g.series(ScrapeJobs.up(Matcher.equal("job", ServiceCatalog.API_GATEWAY.jobName()),
        Matcher.equal("instance", "api-gateway:8000")), "0x40");
    g.series(ScrapeJobs.up(Matcher.equal("job", ServiceCatalog.MCP_SERVER.jobName()),
        Matcher.equal("instance", "mcp-server:8001")), "1x40");
    g.series(ScrapeJobs.up(Matcher.equal("job", "node"), Matcher.equal("instance", "node:9100")), "0x40");
    g.expect("15m", "ServiceDown", firing(alert("ServiceDown"), Map.of("service", API,
        "job", ServiceCatalog.API_GATEWAY.jobName(), "instance", "api-gateway:8000"), "0"));

    // HighErrorRate: 11% 5xx fires, 9% does not; not before its 5 minutes.
    g.series(requests(API, "500"), "0+11x40").series(requests(API, "200"), "0+89x40");
    g.series(requests(MCP, "503"), "0+9x40").series(requests(MCP, "200"), "0+91x40");
    g.expect("3m", "HighErrorRate");
    g.expect("15m", "HighErrorRate", firing(alert("HighErrorRate"), Map.of("service", API), "11%"));

    // HighLatency: every request between 2 and 2.5 s fires (p95 2.475 s); under 0.5 s does not.
    latencyBuckets(g, AIRTABLE, 2.5);
    latencyBuckets(g, LLM, 0.5);
    g.expect("15m", "HighLatency", firing(alert("HighLatency"), Map.of("service", AIRTABLE), "2.475s"));

    // AirtableRateLimitHit: a counter that moves fires, one that stays flat does not.
    g.series(Selector.of(AIRTABLE_RATE_LIMIT_HITS_TOTAL).and(Matcher.equal("service", AIRTABLE),
        Matcher.equal("base_id", "appAAAAAAAAAAAAAA"), Matcher.equal("limit_type", "base")), "0+1x40");
    g.series(Selector.of(AIRTABLE_RATE_LIMIT_HITS_TOTAL).and(Matcher.equal("service", AIRTABLE),
        Matcher.equal("base_id", "appBBBBBBBBBBBBBB"), Matcher.equal("limit_type", "base")), "3x40");
    g.expect("15m", "AirtableRateLimitHit", firing(alert("AirtableRateLimitHit"), Map.of("service", AIRTABLE,
        "base_id", "appAAAAAAAAAAAAAA", "limit_type", "base"), "5"));

    // CircuitBreakerOpen: a breaker open, or half-open without ever closing, fires; a closed one never.
    breaker(g, "airtable", "open");
    breaker(g, "redis", "closed");
    breaker(g, "gemini", "half_open");
    g.expect("15m", "CircuitBreakerOpen",
        firing(alert("CircuitBreakerOpen"), Map.of("service", AIRTABLE, "circuit_name", "airtable"), "1"),
        firing(alert("CircuitBreakerOpen"), Map.of("service", AIRTABLE, "circuit_name", "gemini"), "1"));

    // LowCacheHitRatio: 60% hits fires after 10 minutes; 80% does not, puts do not count as lookups.
    g.series(cache(API, "get", "hit"), "0+60x40").series(cache(API, "get", "miss"), "0+40x40");
    g.series(cache(MCP, "get", "hit"), "0+80x40").series(cache(MCP, "get", "miss"), "0+20x40")
        .series(cache(MCP, "put", "success"), "0+500x40");
    g.expect("8m", "LowCacheHitRatio");
    g.expect("15m", "LowCacheHitRatio", firing(alert("LowCacheHitRatio"), Map.of("service", API), "60%"));
  }

  /**
   * One day of traffic per service (two-minute samples); objective 99.9%, budget 0.1%. api-gateway: 2% errors in the last
   * hour (5m and 1h above 14.4x: page only). mcp-server: 0.8% in the last 6 hours (5m below 14.4x,
   * 30m and 6h above 6x: page; 6h and 3d above 1x: ticket). airtable-gateway: 0.4% all day (2h and 1d
   * above 3x: ticket). llm-orchestrator: 0.2% all day (under 3x, 6h and 3d above 1x: ticket).
   */
  private static void availabilityBurnRates(RuleUnitTestFile.Group g) {
    g.series(requests(API, "200"), "0+196x720").series(requests(API, "500"), "0x690 4+4x29");
    g.series(requests(MCP, "200"), "0+1984x720").series(requests(MCP, "500"), "0x540 16+16x179");
    g.series(requests(AIRTABLE, "200"), "0+1992x720").series(requests(AIRTABLE, "500"), "0+8x720");
    g.series(requests(LLM, "200"), "0+1996x720").series(requests(LLM, "500"), "0+4x720");
    String burn = SloRules.alertName(SloRules.AVAILABILITY);
    // 30 minutes into api-gateway's incident only its short windows are hot: it does not fire yet.
    // mcp-server's incident is 5.5 h old then: its 6h window holds 330 bad minutes of 360.
    g.expect("1410m", burn,
        firing(sloAlert(MCP, SloRules.AVAILABILITY, "critical"), sloLabels(MCP, SloRules.AVAILABILITY), "0.8%"),
        firing(sloAlert(MCP, SloRules.AVAILABILITY, "warning"), sloLabels(MCP, SloRules.AVAILABILITY), "0.7338%"),
        firing(sloAlert(AIRTABLE, SloRules.AVAILABILITY, "warning"), sloLabels(AIRTABLE, SloRules.AVAILABILITY),
            "0.4%"),
        firing(sloAlert(LLM, SloRules.AVAILABILITY, "warning"), sloLabels(LLM, SloRules.AVAILABILITY), "0.2%"));
    g.expect("1440m", burn,
        firing(sloAlert(API, SloRules.AVAILABILITY, "critical"), sloLabels(API, SloRules.AVAILABILITY), "2%"),
        firing(sloAlert(MCP, SloRules.AVAILABILITY, "critical"), sloLabels(MCP, SloRules.AVAILABILITY), "0.8%"),
        firing(sloAlert(MCP, SloRules.AVAILABILITY, "warning"), sloLabels(MCP, SloRules.AVAILABILITY), "0.8%"),
        firing(sloAlert(AIRTABLE, SloRules.AVAILABILITY, "warning"), sloLabels(AIRTABLE, SloRules.AVAILABILITY),
            "0.4%"),
        firing(sloAlert(LLM, SloRules.AVAILABILITY, "warning"), sloLabels(LLM, SloRules.AVAILABILITY), "0.2%"));
  }

  /**
   * api-gateway: 2% of requests slower than its 1 s threshold in the last hour pages. mcp-server:
   * 0.05% errors (half the budget rate) and every request fast: no alert of any kind.
   */
  private static void latencyBurnRateAndQuietService(RuleUnitTestFile.Group g) {
    g.series(Selector.bucket(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", API),
        Matcher.equal("le", "1.0")), "0+196x720");
    g.series(Selector.count(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", API)),
        "0+196x690 135440+200x29");
    g.series(requests(MCP, "200"), "0+3998x720").series(requests(MCP, "500"), "0+2x720");
    g.series(Selector.bucket(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", MCP),
        Matcher.equal("le", "1.0")), "0+200x720");
    g.series(Selector.count(HTTP_REQUEST_DURATION_SECONDS).and(Matcher.equal("service", MCP)), "0+200x720");
    g.expect("1440m", SloRules.alertName(SloRules.LATENCY),
        firing(sloAlert(API, SloRules.LATENCY, "critical"), sloLabels(API, SloRules.LATENCY), "2%"));
    g.expect("1440m", SloRules.alertName(SloRules.AVAILABILITY));
  }

  private static Selector requests(String service, String status) {
    return Selector.of(HTTP_REQUESTS_TOTAL).and(Matcher.equal("service", service), Matcher.equal("method", "GET"),
        Matcher.equal("endpoint", "/api/records"), Matcher.equal("status_code", status));
  }

  private static void latencyBuckets(RuleUnitTestFile.Group g, String service, double slowestBucket) {
    Matcher[] labels = {Matcher.equal("service", service), Matcher.equal("method", "GET"),
        Matcher.equal("endpoint", "/x"), Matcher.equal("status_code", "200")};
    for (double bound : HTTP_REQUEST_DURATION_SECONDS.buckets()) {
      g.series(Selector.bucket(HTTP_REQUEST_DURATION_SECONDS).and(labels)
          .and(Matcher.equal("le", Double.toString(bound))), bound < slowestBucket ? "0x40" : "0+10x40");
    }
    g.series(Selector.bucket(HTTP_REQUEST_DURATION_SECONDS).and(labels).and(Matcher.equal("le", "+Inf")),
        "0+10x40");
    g.series(Selector.count(HTTP_REQUEST_DURATION_SECONDS).and(labels), "0+10x40");
  }

  private static void breaker(RuleUnitTestFile.Group g, String circuit, String activeState) {
    for (String state : CIRCUIT_BREAKER_STATE.states()) {
      g.series(Selector.of(CIRCUIT_BREAKER_STATE).and(Matcher.equal("service", AIRTABLE),
          Matcher.equal("circuit_name", circuit), Matcher.equal(CIRCUIT_BREAKER_STATE.name(), state)),
          state.equals(activeState) ? "1x40" : "0x40");
    }
  }

  private static Selector cache(String service, String operation, String result) {
    return Selector.of(CACHE_OPERATIONS_TOTAL).and(Matcher.equal("service", service),
        Matcher.equal("operation", operation), Matcher.equal("result", result));
  }

  private static AlertRule alert(String name) {
    return ServiceAlerts.all().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  private static AlertRule sloAlert(String service, String slo, String severity) {
    return SloRules.groups(SloConfig.defaults()).stream()
        .flatMap(gr -> gr.alerts().stream())
        .filter(a -> a.labels().get("service").equals(service) && a.labels().get("slo").equals(slo)
            && a.labels().get("severity").equals(severity))
        .findFirst().orElseThrow();
  }

  private static Map<String, String> sloLabels(String service, String slo) {
    return Map.of("service", service, "slo", slo);
  }
}
