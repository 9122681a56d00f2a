package io.pyairtable.metrics.monitoring;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import io.pyairtable.metrics.monitoring.promql.Selector;
import org.junit.jupiter.api.Test;

class PromqlTest {

  private final Promql q = Promql.over("5m");

  @Test
  void ratioDividesSumsAggregatedByTheSameLabels() {
    String ratio = q.ratio(by("service"),
        q.sumRate(by("service"), HTTP_REQUESTS_TOTAL, Matcher.regex("status_code", "5..")),
        q.sumRate(by("service"), HTTP_REQUESTS_TOTAL));
    assertThat(ratio).isEqualTo("(sum by (service) (rate(http_requests_total{status_code=~\"5..\"}[5m])))\n"
        + "/ on (service)\n(sum by (service) (rate(http_requests_total[5m])))");
  }

  @Test
  void quantileAggregatesBucketsByLeFirst() {
    assertThat(q.quantile(0.95, by("service"), HTTP_REQUEST_DURATION_SECONDS)).isEqualTo(
        "histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))");
  }

  @Test
  void dashboardScopeAddsServiceAndInstanceVariablesAndRateInterval() {
    assertThat(Promql.dashboard().rate(ERRORS_TOTAL)).isEqualTo(
        "rate(errors_total{service=~\"$service\", instance=~\"$instance\"}[$__rate_interval])");
  }

  @Test
  void stateSetSelectsTheActiveState() {
    assertThat(q.activeState(by("circuit_name"), CIRCUIT_BREAKER_STATE)).isEqualTo(
        "max by (circuit_name, circuit_breaker_state) (circuit_breaker_state) == 1");
  }

  @Test
  void counterOutsideRateAndUnknownLabelsAreRefused() {
    assertThatThrownBy(() -> q.gauge("sum", by(), HTTP_REQUESTS_TOTAL)).hasMessageContaining("not a gauge");
    assertThatThrownBy(() -> q.rate(ACTIVE_CONNECTIONS)).hasMessageContaining("not a COUNTER");
    assertThatThrownBy(() -> Selector.of(HTTP_REQUESTS_TOTAL).and(Matcher.equal("status", "500")))
        .hasMessageContaining("http_requests_total has no label status");
    assertThatThrownBy(() -> q.sumBucketRate(by(), HTTP_REQUEST_DURATION_SECONDS, 0.3))
        .hasMessageContaining("not a bucket boundary");
  }

  @Test
  void bucketBoundMatchesBothNumberFormats() {
    assertThat(Promql.leRegex(1.0)).isEqualTo("1|1\\.0");
    assertThat(Promql.leRegex(0.25)).isEqualTo("0\\.25");
  }
}
