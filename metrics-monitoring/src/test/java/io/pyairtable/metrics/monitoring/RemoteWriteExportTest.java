package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricType;
import io.pyairtable.metrics.monitoring.rules.AlertRule;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.rules.SloSeries;
import io.pyairtable.metrics.monitoring.stack.ReadSeries;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The remote-write keep list: every catalogue family, {@code up} and the SLO series, read from the rules and panels. */
class RemoteWriteExportTest {

  private static final String RECEIVER = "http://127.0.0.1:9009/api/v1/push";

  @Test
  void theKeepListIsEveryCatalogueFamilyUpAndTheRecordedSeriesDashboardsAndAlertsRead() {
    assertThat(MonitoringExport.builder().build().readSeries()).containsExactlyElementsOf(expectedKeepList());
  }

  @Test
  void aSeriesNameNeitherCataloguedNorRecordedFailsTheExport() {
    RuleGroup typo = new RuleGroup("typo").alert(AlertRule.named("Typo")
        .expr("sum by (service) (rate(http_request_total{service=\"x\"}[5m])) > 0"));
    assertThatThrownBy(() -> ReadSeries.of(List.of(), List.of(typo)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http_request_total in typo / Typo");
  }

  @Test
  void seriesNamesAreReadPastFunctionsGroupingLabelsStringsAndRanges() {
    assertThat(ReadSeries.names("histogram_quantile(0.95, sum by (le, service) (rate(a_bucket{service=~\"x|y\"}"
        + "[$__rate_interval]))) > bool 2e3 or on (service) label_replace(up{job=\"j\"}, \"service\", \"$1\", "
        + "\"job\", \"pyairtable-(.+)\") * 0 unless ignoring (slo) group_left (x) slo:objective:ratio offset 5m"))
        .containsExactly("a_bucket", "slo:objective:ratio", "up");
  }

  /** Every catalogue family (every one is on a panel), {@code up}, and the SLO series dashboards and alerts read. */
  private static Set<String> expectedKeepList() {
    Set<String> expected = new TreeSet<>();
    for (MetricDefinition d : MetricCatalog.all()) {
      expected.addAll(d.type() == MetricType.HISTOGRAM ? List.of(d.bucket(), d.count(), d.sum()) : List.of(d.name()));
    }
    expected.add("up");
    expected.add(SloSeries.OBJECTIVE);
    expected.add(SloSeries.ERROR_BUDGET_REMAINING);
    expected.add(SloSeries.PERIOD_ERROR_RATIO);
    SloSeries.SLI_WINDOWS.forEach(w -> expected.add(SloSeries.errorRatio(w)));
    return expected;
  }
}
