package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http_requests_total} is derived from the duration histogram's count at scrape time; every
 * exposition of it must be byte for byte what a client_java {@code Counter} incremented once per
 * request gives: HELP, TYPE, labels (common labels included), values and created timestamps.
 */
class RequestCountExpositionTest {

  /** method, endpoint, status, requests: the budget of 3 sends the fourth combination to _overflow. */
  private static final List<Object[]> TRAFFIC = List.of(
      new Object[] {"GET", "/users/{id}", 200, 3},
      new Object[] {"POST", "/users", 201, 1},
      new Object[] {"GET", null, 499, 2},
      new Object[] {"DELETE", "/users/{id}", 500, 2});

  private static final List<ExpositionFormatWriter> TEXT_WRITERS = List.of(
      PrometheusTextFormatWriter.create(),
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(true).build(),
      OpenMetricsTextFormatWriter.create(),
      OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build());

  @Test
  void theDerivedCounterIsByteIdenticalToAClientJavaCounterInEveryFormat() throws IOException {
    Recorded r = recordWithReference(false);

    for (ExpositionFormatWriter writer : TEXT_WRITERS) {
      String derived = write(writer, r.collector.prometheusRegistry().scrape(RequestCountExpositionTest::isCount));
      String reference = write(writer, r.reference.scrape(RequestCountExpositionTest::isCount));
      assertThat(derived).as(writer.getContentType()).isEqualTo(reference);
    }
    PrometheusProtobufWriter protobuf = new PrometheusProtobufWriter();
    assertThat(protobuf.isAvailable()).isTrue();
    assertThat(bytes(protobuf, r.collector.prometheusRegistry().scrape(RequestCountExpositionTest::isCount)))
        .isEqualTo(bytes(protobuf, r.reference.scrape(RequestCountExpositionTest::isCount)));
  }

  @Test
  void theTextExpositionShowsTheCountsOfEveryCombinationTheOverflowAndTheCreatedTimestamps() throws IOException {
    Recorded r = recordWithReference(false);
    String openMetrics = write(OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build(),
        r.collector.scrape());

    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_requests_total")).toList()).containsExactly(
        "http_requests_total{endpoint=\"/users\",method=\"POST\",service=\"orders\",status_code=\"201\"} 1.0",
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\",status_code=\"200\"} 3.0",
        "http_requests_total{endpoint=\"_overflow\",method=\"_overflow\",service=\"orders\",status_code=\"_overflow\"}"
            + " 2.0",
        "http_requests_total{endpoint=\"unknown\",method=\"GET\",service=\"orders\",status_code=\"499\"} 2.0");
    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_requests_created{"))).hasSize(4)
        .allMatch(l -> l.matches(".* [0-9]+\\.[0-9]+(E[0-9]+)?$"));
    assertThat(openMetrics).contains("# TYPE http_requests counter\n# HELP http_requests " + HTTP_REQUESTS_TOTAL.help());
    assertThat(r.collector.exportMetrics()).contains(
        "metrics_cardinality_overflow_total{metric=\"http_requests_total\",service=\"orders\"} 2.0");
  }

  @Test
  void theVersionLabelOptedInIsOnTheDerivedCounterAsOnACounter() throws IOException {
    Recorded r = recordWithReference(true);

    String derived = write(TEXT_WRITERS.get(3), r.collector.prometheusRegistry().scrape(RequestCountExpositionTest::isCount));

    assertThat(derived).contains("service=\"orders\",status_code=\"201\",version=\"2.1.0\"} 1.0")
        .isEqualTo(write(TEXT_WRITERS.get(3), r.reference.scrape(RequestCountExpositionTest::isCount)));
  }

  private static boolean isCount(String prometheusName) {
    return prometheusName.equals(HTTP_REQUESTS_TOTAL.baseName());
  }

  private record Recorded(MetricsCollector collector, PrometheusRegistry reference) {}

  /**
   * Records {@link #TRAFFIC} into a collector and the same requests into a client_java counter
   * built as the registry would build it. A data point's created timestamp is the millisecond it
   * was bound, so each combination is bound in both within one millisecond; a run where a tick
   * fell between the two is discarded and run again (bounded).
   */
  private static Recorded recordWithReference(boolean versionOnEverySeries) {
    for (int attempt = 0; attempt < 200; attempt++) {
      MetricsCollector collector = Metrics.builder(Map.of()).serviceName("orders").version("2.1.0")
          .versionOnEverySeries(versionOnEverySeries).jvmMetrics(false).seriesBudget("http_requests_total", 3)
          .initialize();
      PrometheusRegistry reference = new PrometheusRegistry();
      Counter counter = Counter.builder().name(HTTP_REQUESTS_TOTAL.baseName()).help(HTTP_REQUESTS_TOTAL.help())
          .labelNames(HTTP_REQUESTS_TOTAL.labelNameArray()).constLabels(collector.registry().constLabels())
          .withoutExemplars().register(reference);
      boolean sameTick = true;
      for (int i = 0; i < TRAFFIC.size() && sameTick; i++) {
        Object[] t = TRAFFIC.get(i);
        String method = i < 3 ? (String) t[0] : "_overflow";
        String endpoint = i < 3 ? (t[1] == null ? "unknown" : (String) t[1]) : "_overflow";
        String status = i < 3 ? String.valueOf(t[2]) : "_overflow";
        long before = System.currentTimeMillis();
        collector.recordHttpRequest((String) t[0], (String) t[1], (int) t[2], 0.01 * (i + 1), 100, 200);
        counter.labelValues(method, endpoint, status).inc();
        sameTick = System.currentTimeMillis() == before;
        for (int n = 1; n < (int) t[3]; n++) {
          collector.recordHttpRequest((String) t[0], (String) t[1], (int) t[2], 0.5, 100, 200);
          counter.labelValues(method, endpoint, status).inc();
        }
      }
      if (sameTick) {
        return new Recorded(collector, reference);
      }
    }
    throw new AssertionError("no run bound every combination within one millisecond in 200 attempts");
  }

  private static String write(ExpositionFormatWriter writer, MetricSnapshots snapshots) throws IOException {
    return new String(bytes(writer, snapshots), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ExpositionFormatWriter writer, MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, snapshots, EscapingScheme.DEFAULT);
    return out.toByteArray();
  }
}
