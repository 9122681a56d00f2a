package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.monitoring.grafana.Dashboard;
import io.pyairtable.metrics.monitoring.grafana.Panel;
import io.pyairtable.metrics.monitoring.grafana.Query;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported dashboards pass the lint and cover the whole metric contract. */
class DashboardLintTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static List<JsonNode> dashboards = new ArrayList<>();

  @BeforeAll
  static void export() throws Exception {
    MonitoringExport.exportAllDashboards(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        dashboards.add(JSON.readTree(f.toFile()));
      }
    }
  }

  @Test
  void exportsTheSevenDashboardsWithStableUniqueUids() {
    assertThat(dashboards).extracting(d -> d.get("uid").asText()).containsExactlyInAnyOrder(
        "pyairtable-overview", "pyairtable-airtable-gateway", "pyairtable-mcp-server",
        "pyairtable-llm-orchestrator", "pyairtable-api-gateway", "pyairtable-infrastructure", "pyairtable-sla");
    assertThat(dashboards).extracting(d -> d.get("title").asText()).doesNotHaveDuplicates();
  }

  @Test
  void everyDashboardPassesTheLint() {
    List<String> findings = new ArrayList<>();
    dashboards.forEach(d -> findings.addAll(DashboardLint.lint(d)));
    assertThat(findings).isEmpty();
  }

  @Test
  void everyFamilyOfTheContractAppearsOnAPanel() {
    Pattern identifier = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    Set<String> shown = new HashSet<>();
    for (JsonNode d : dashboards) {
      for (JsonNode p : d.get("panels")) {
        for (JsonNode t : p.get("targets")) {
          Matcher m = identifier.matcher(t.get("expr").asText());
          while (m.find()) {
            MetricDefinition family = DashboardLint.familyOfSeries(m.group());
            if (family != null) {
              shown.add(family.name());
            }
          }
        }
      }
    }
    Set<String> missing = new TreeSet<>();
    MetricCatalog.all().forEach(d -> missing.add(d.name()));
    missing.removeAll(shown);
    assertThat(missing).as("families on no panel").isEmpty();
    assertThat(shown).hasSize(MetricCatalog.all().size());
  }

  @Test
  void lintReportsEachKindOfMistake() {
    String counter = MetricCatalog.HTTP_REQUESTS_TOTAL.name();
    ObjectNode json = new Dashboard("bad", "Bad", "mistakes")
        .panel(Panel.timeseries("raw counter", "d", "short")
            .query(Query.range("sum(" + counter + "{service=~\"$service\"})", "")))
        .panel(Panel.timeseries("fixed range", "d", "short")
            .query(Query.range("sum(rate(" + counter + "{service=~\"$service\"}[5m]))", "")))
        .panel(Panel.timeseries("unscoped", "d", "short")
            .query(Query.range("sum(rate(" + counter + "[$__rate_interval]))", "")))
        .panel(Panel.timeseries("unknown", "d", "short")
            .query(Query.range("sum(rate(http_request_totl{service=~\"$service\"}[$__rate_interval]))", "")))
        .toJson();
    ((ObjectNode) json.get("panels").get(0).get("fieldConfig").get("defaults"))
        .remove("unit");
    ((ObjectNode) json.get("panels").get(1)).put("description", "");
    ((ObjectNode) json.get("panels").get(1).get("gridPos")).put("x", 20);
    ((ObjectNode) json.get("panels").get(2).get("targets").get(0)
        .get("datasource")).put("uid", "prometheus");

    assertThat(DashboardLint.lint(json)).containsExactlyInAnyOrder(
        "bad / raw counter: no unit",
        "bad / raw counter: http_requests_total is cumulative but not under rate()/increase() over a range",
        "bad / fixed range: no description",
        "bad / fixed range: outside the 24-column grid {\"h\":8,\"w\":12,\"x\":20,\"y\":0}",
        "bad / fixed range: range [5m] instead of [$__rate_interval]",
        "bad / unscoped: target A does not use the datasource variable",
        "bad / unscoped: http_requests_total not filtered by $service",
        "bad / unknown: unknown series http_request_totl");
  }
}
