package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.MetricCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pre-bound {@link HttpEndpoint} records exactly what {@code recordHttpRequest} records. */
class HttpEndpointTest {

  private static MetricsCollector collector(Consumer<Metrics.Builder> options) {
    Metrics.Builder b = Metrics.builder(Map.of()).serviceName("edge").jvmMetrics(false);
    options.accept(b);
    return b.initialize();
  }

  private static List<String> httpLines(MetricsCollector c) {
    return c.exportMetrics().lines()
        .filter(l -> l.startsWith("http_") || l.startsWith("metrics_cardinality_overflow_total"))
        .toList();
  }

  private static List<String> requestCounts(MetricsCollector c) {
    return c.exportMetrics().lines().filter(l -> l.startsWith("http_requests_total{")).toList();
  }

  private static String count(String method, String endpoint, String status, String value) {
    return "http_requests_total{endpoint=\"" + endpoint + "\",method=\"" + method + "\",service=\"edge\",status_code=\""
        + status + "\"} " + value;
  }

  @Test
  void aHandleRecordsTheSameExpositionAsRecordHttpRequestWithTheSameValues() {
    MetricsCollector direct = collector(b -> b.seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 3));
    MetricsCollector bound = collector(b -> b.seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 3));
    HttpEndpoint getUser = bound.httpEndpoint("GET", "/users/{id}");
    HttpEndpoint nullMethod = bound.httpEndpoint(null, "/users");

    direct.recordHttpRequest("GET", "/users/{id}", 200, 0.042, 120, 2048);
    getUser.record(200, 0.042, 120, 2048);
    direct.recordHttpRequest("GET", "/users/{id}", 404, 0.003);
    getUser.record(404, 0.003);
    direct.recordHttpRequest(null, "/users", 1000, 1.5, -1, 10);
    nullMethod.record(1000, 1.5, -1, 10);
    direct.recordHttpRequest("GET", "/users/{id}", 503, 0.2, 5, 6); // past the budget of 3
    getUser.record(503, 0.2, 5, 6);
    direct.recordHttpRequest("GET", "/users/{id}", 200, 0.1, 1, 2, "corr-1");
    getUser.record(200, 0.1, 1, 2, "corr-1");

    assertThat(httpLines(bound)).isEqualTo(httpLines(direct)).contains(
        count("GET", "/users/{id}", "200", "2.0"),
        count("GET", "/users/{id}", "404", "1.0"),
        count("unknown", "/users", "1000", "1.0"),
        count("_overflow", "_overflow", "_overflow", "1.0"),
        "http_request_size_bytes_count{endpoint=\"/users/{id}\",method=\"GET\",service=\"edge\"} 2");
    assertThat(requestCounts(bound)).hasSize(4);
  }

  @Test
  void statusCodesBeyond999AndNegativeOnesGetTheirOwnSeries() {
    MetricsCollector c = collector(b -> { });
    HttpEndpoint e = c.httpEndpoint("POST", "/jobs");

    e.record(1000, 0.1);
    e.record(1000, 0.1);
    e.record(-1, 0.1);
    e.record(Integer.MAX_VALUE, 0.1);
    e.record(Integer.MIN_VALUE, 0.1);
    c.recordHttpRequest("POST", "/jobs", 1000, 0.1);

    assertThat(requestCounts(c)).containsExactlyInAnyOrder(
        count("POST", "/jobs", "-1", "1.0"),
        count("POST", "/jobs", "-2147483648", "1.0"),
        count("POST", "/jobs", "1000", "3.0"),
        count("POST", "/jobs", "2147483647", "1.0"));
  }

  @Test
  void aNullMethodIsUnknownAndLongValuesAreCutAsForRecordHttpRequest() {
    MetricsCollector c = collector(b -> b.labelValueMaxLength(8));
    HttpEndpoint e = c.httpEndpoint(null, "/0123456789");

    e.record(200, 0.1);
    c.recordHttpRequest(null, "/0123456789abc", 200, 0.1);

    assertThat(e.method()).isEqualTo("unknown");
    assertThat(e.endpoint()).isEqualTo("/0123456");
    assertThat(requestCounts(c)).containsExactly(count("unknown", "/0123456", "200", "2.0"));
  }

  @Test
  void statusCodesWhoseCutLabelIsTheSameShareOneSeriesWithinTheBudget() {
    MetricsCollector c = collector(b -> b.labelValueMaxLength(3)
        .seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 1));
    HttpEndpoint e = c.httpEndpoint("GET", "/a");

    e.record(2000, 0.1);        // "200"
    e.record(2001, 0.1);        // "200" as well
    e.record(200, 0.1);         // "200", not cut
    c.recordHttpRequest("GET", "/a", 2009, 0.1);
    e.record(300, 0.1);         // a second combination: past the budget of 1

    assertThat(requestCounts(c)).containsExactlyInAnyOrder(
        count("GET", "/a", "200", "4.0"),
        count("_overflow", "_overflow", "_overflow", "1.0"));
  }

  @Test
  void pastTheBudgetAHandleFoldsNewCombinationsIntoTheOverflowOfAllFourFamilies() {
    MetricsCollector c = collector(b -> b.seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), 2));
    HttpEndpoint a = c.httpEndpoint("GET", "/a");
    HttpEndpoint b = c.httpEndpoint("GET", "/b");

    a.record(200, 0.1, 1, 2);
    a.record(500, 0.1, 1, 2);
    a.record(404, 0.1, 1, 2);   // a new status of a known endpoint: overflow
    b.record(200, 0.1, 1, 2);   // a new endpoint: overflow
    a.record(200, 0.1, 1, 2);   // seen before the budget was reached: its own series

    assertThat(requestCounts(c)).containsExactlyInAnyOrder(
        count("GET", "/a", "200", "2.0"),
        count("GET", "/a", "500", "1.0"),
        count("_overflow", "_overflow", "_overflow", "2.0"));
    for (String family : List.of("http_requests_total", "http_request_duration_seconds", "http_request_size_bytes",
        "http_response_size_bytes")) {
      assertThat(c.exportMetrics()).contains(
          "metrics_cardinality_overflow_total{metric=\"" + family + "\",service=\"edge\"} 2.0");
    }
  }

  @Test
  void aHandleCreatedBeforeAnyRecordBindsNothingAndFindsSeriesBoundByTheCollector() {
    MetricsCollector c = collector(b -> { });
    HttpEndpoint e = c.httpEndpoint("GET", "/later");

    assertThat(requestCounts(c)).isEmpty();
    c.recordHttpRequest("GET", "/later", 200, 0.1);
    e.record(200, 0.1);

    assertThat(requestCounts(c)).containsExactly(count("GET", "/later", "200", "2.0"));
  }

  @Test
  void anInvalidDurationIsContainedCountedAndObservedAsZero() {
    MetricsCollector c = collector(b -> { });
    HttpEndpoint e = c.httpEndpoint("GET", "/x");

    e.record(200, Double.NaN, 10, 20);

    assertThat(c.registry().failures().count(HttpFamilies.OPERATION)).isEqualTo(1.0);
    assertThat(c.exportMetrics()).contains(
        count("GET", "/x", "200", "1.0"),
        "http_request_duration_seconds_sum{endpoint=\"/x\",method=\"GET\",service=\"edge\",status_code=\"200\"} 0.0");
  }

  @Test
  void theCorrelationIdBecomesTheDurationsExemplar() {
    MetricsCollector c = collector(b -> { });

    c.httpEndpoint("GET", "/x").record(200, 0.042, -1, -1, "req-42");

    assertThat(c.exportOpenMetrics().lines())
        .anyMatch(l -> l.startsWith("http_request_duration_seconds_bucket{endpoint=\"/x\",")
            && l.contains("# {correlation_id=\"req-42\"} 0.042 "));
  }

  @Test
  void aHandleOfADisabledCollectorRecordsNothing() {
    MetricsCollector c = collector(b -> b.enabled(false));

    c.httpEndpoint("GET", "/x").record(200, 0.1, 1, 2, "id");

    assertThat(c.exportMetrics()).isEmpty();
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void concurrentRecordsThroughHandlesAndTheCollectorAreAllCounted() throws Exception {
    MetricsCollector c = collector(b -> { });
    int threads = 8;
    int records = 20_000;
    int[] statuses = {200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 1000};
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean viaHandle = t % 2 == 0;
        done.add(pool.submit(() -> {
          HttpEndpoint e = c.httpEndpoint("GET", "/c");
          for (int i = 0; i < records; i++) {
            int status = statuses[i % statuses.length];
            if (viaHandle) {
              e.record(status, 0.001);
            } else {
              c.recordHttpRequest("GET", "/c", status, 0.001);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    double each = (double) threads * records / statuses.length;
    assertThat(requestCounts(c)).hasSize(statuses.length)
        .allSatisfy(l -> assertThat(l).endsWith("} " + each));
  }
}
