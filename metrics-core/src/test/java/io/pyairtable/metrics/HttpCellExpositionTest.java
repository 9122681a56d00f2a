package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.pyairtable.metrics.catalog.MetricDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP families kept in this project's cells expose exactly what client_java's
 * {@code Counter} and three {@code Histogram}s expose for the same requests, in every format:
 * HELP, TYPE, labels (common labels included), buckets, counts, sums and created timestamps.
 */
class HttpCellExpositionTest {

  /** method, endpoint, status, seconds, request bytes, response bytes; the budget of 4 sends the last two to _overflow. */
  private static final List<Object[]> TRAFFIC = List.of(
      new Object[] {"GET", "/users/{id}", 200, 0.042, 120L, 2048L},
      new Object[] {"GET", "/users/{id}", 200, 0.1, 0L, 1_000_000L},
      new Object[] {"GET", "/users/{id}", 404, 0.003, 95L, 10L},
      new Object[] {"GET", "/users/{id}", 404, 7.5, -1L, -1L},
      new Object[] {"POST", "/users", 201, 0.25, 4096L, 3L},
      new Object[] {"POST", "/users", 201, 120.0, 1L << 40, 0L},
      new Object[] {"GET", null, 499, 0.0, 12L, -1L},
      new Object[] {"GET", null, 499, Double.NaN, 12L, 7L},
      new Object[] {"DELETE", "/users/{id}", 500, 0.5, 10L, 20L},
      new Object[] {"PUT", "/users/{id}", 200, 1.0, 30L, 40L});

  private static final Set<String> HTTP_NAMES = Set.of(HTTP_REQUESTS_TOTAL.baseName(),
      HTTP_REQUEST_DURATION_SECONDS.baseName(), HTTP_REQUEST_SIZE_BYTES.baseName(), HTTP_RESPONSE_SIZE_BYTES.baseName());

  private static final List<ExpositionFormatWriter> TEXT_WRITERS = List.of(
      PrometheusTextFormatWriter.create(),
      PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(true).build(),
      OpenMetricsTextFormatWriter.create(),
      OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build());

  @ParameterizedTest(name = "version on every series: {0}")
  @ValueSource(booleans = {false, true})
  void theFourFamiliesAreByteIdenticalToClientJavasCounterAndHistogramsInEveryFormat(boolean versionOnEverySeries)
      throws IOException {
    Recorded r = recordWithReference(versionOnEverySeries);

    for (ExpositionFormatWriter writer : TEXT_WRITERS) {
      String ours = write(writer, r.collector.prometheusRegistry().scrape(HTTP_NAMES::contains));
      String reference = write(writer, r.reference.scrape(HTTP_NAMES::contains));
      assertThat(ours.lines()).as(writer.getContentType()).containsExactlyElementsOf(reference.lines().toList());
    }
    PrometheusProtobufWriter protobuf = new PrometheusProtobufWriter();
    assertThat(bytes(protobuf, r.collector.prometheusRegistry().scrape(HTTP_NAMES::contains)))
        .isEqualTo(bytes(protobuf, r.reference.scrape(HTTP_NAMES::contains)));
  }

  @Test
  void theSeriesAreInCellsAndTheExpositionShowsTheirExactBucketsCountsAndSums() throws IOException {
    Recorded r = recordWithReference(true);
    String text = write(TEXT_WRITERS.get(0), r.collector.prometheusRegistry().scrape(HTTP_NAMES::contains));

    assertThat(r.collector.registry().http().series("GET", "/users/{id}", 404)).isInstanceOf(CellHttpSeries.class);
    assertThat(text.lines()).contains(
        "http_request_duration_seconds_count{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\","
            + "status_code=\"404\",version=\"2.1.0\"} 2",
        "http_request_duration_seconds_sum{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\","
            + "status_code=\"404\",version=\"2.1.0\"} 7.503",
        "http_request_duration_seconds_bucket{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\","
            + "status_code=\"404\",version=\"2.1.0\",le=\"+Inf\"} 2",
        // request size: both status codes of the endpoint, the unknown size not counted
        "http_request_size_bytes_count{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\",version=\"2.1.0\"} 3",
        "http_request_size_bytes_sum{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\",version=\"2.1.0\"} 215.0",
        "http_response_size_bytes_count{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\","
            + "status_code=\"404\",version=\"2.1.0\"} 1",
        "http_requests_total{endpoint=\"_overflow\",method=\"_overflow\",service=\"orders\","
            + "status_code=\"_overflow\",version=\"2.1.0\"} 2.0",
        "http_requests_total{endpoint=\"unknown\",method=\"GET\",service=\"orders\",status_code=\"499\","
            + "version=\"2.1.0\"} 2.0");
  }

  @Test
  void theRequestCounterShowsEveryCombinationTheOverflowAndTheirCreatedTimestamps() throws IOException {
    Recorded r = recordWithReference(false);
    String openMetrics = write(TEXT_WRITERS.get(3), r.collector.scrape());

    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_requests_total")).toList()).containsExactly(
        "http_requests_total{endpoint=\"/users\",method=\"POST\",service=\"orders\",status_code=\"201\"} 2.0",
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\",status_code=\"200\"} 2.0",
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"orders\",status_code=\"404\"} 2.0",
        "http_requests_total{endpoint=\"_overflow\",method=\"_overflow\",service=\"orders\",status_code=\"_overflow\"}"
            + " 2.0",
        "http_requests_total{endpoint=\"unknown\",method=\"GET\",service=\"orders\",status_code=\"499\"} 2.0");
    assertThat(openMetrics.lines().filter(l -> l.startsWith("http_requests_created{"))).hasSize(5)
        .allMatch(l -> l.matches(".* [0-9]+\\.[0-9]+(E[0-9]+)?$"));
    assertThat(openMetrics).contains("# TYPE http_requests counter\n# HELP http_requests " + HTTP_REQUESTS_TOTAL.help());
    assertThat(r.collector.exportMetrics()).contains(
        "metrics_cardinality_overflow_total{metric=\"http_requests_total\",service=\"orders\"} 2.0");
  }

  private record Recorded(MetricsCollector collector, PrometheusRegistry reference) {}

  /**
   * Records {@link #TRAFFIC} into a collector and the same requests into a client_java counter and
   * histograms built as the registry would build them (an invalid duration is 0 s, as the
   * collector records it). A created timestamp is the millisecond a series was bound, so each
   * combination is bound on both sides within one millisecond; a run where a tick fell between the
   * two is discarded and run again (bounded).
   */
  private static Recorded recordWithReference(boolean versionOnEverySeries) {
    for (int attempt = 0; attempt < 200; attempt++) {
      MetricsCollector collector = Metrics.builder(Map.of()).serviceName("orders").version("2.1.0")
          .versionOnEverySeries(versionOnEverySeries).jvmMetrics(false).seriesBudget("http_requests_total", 4)
          .initialize();
      Labels common = collector.registry().constLabels();
      PrometheusRegistry reference = new PrometheusRegistry();
      Counter requests = Counter.builder().name(HTTP_REQUESTS_TOTAL.baseName()).help(HTTP_REQUESTS_TOTAL.help())
          .labelNames(HTTP_REQUESTS_TOTAL.labelNameArray()).constLabels(common).withoutExemplars().register(reference);
      Histogram duration = histogram(HTTP_REQUEST_DURATION_SECONDS, common, reference);
      Histogram requestSize = histogram(HTTP_REQUEST_SIZE_BYTES, common, reference);
      Histogram responseSize = histogram(HTTP_RESPONSE_SIZE_BYTES, common, reference);
      boolean sameTick = true;
      Set<List<String>> bound = new HashSet<>();
      for (int i = 0; i < TRAFFIC.size() && sameTick; i++) {
        Object[] t = TRAFFIC.get(i);
        boolean overflow = i >= 8;
        String method = overflow ? "_overflow" : (String) t[0];
        String endpoint = overflow ? "_overflow" : t[1] == null ? "unknown" : (String) t[1];
        String status = overflow ? "_overflow" : String.valueOf(t[2]);
        double seconds = (double) t[3];
        long in = (long) t[4];
        long out = (long) t[5];
        long before = System.currentTimeMillis();
        collector.recordHttpRequest((String) t[0], (String) t[1], (int) t[2], seconds, in, out);
        requests.labelValues(method, endpoint, status).inc();
        duration.labelValues(method, endpoint, status).observe(Double.isNaN(seconds) ? 0 : seconds);
        requestSize.labelValues(method, endpoint);
        responseSize.labelValues(method, endpoint, status);
        // only a record that binds its combination sets created timestamps (a later one, such as the
        // NaN duration whose contained failure is logged, may take longer than a millisecond)
        sameTick = !bound.add(List.of(method, endpoint, status)) || System.currentTimeMillis() == before;
        if (in >= 0) {
          requestSize.labelValues(method, endpoint).observe(in);
        }
        if (out >= 0) {
          responseSize.labelValues(method, endpoint, status).observe(out);
        }
      }
      if (sameTick) {
        return new Recorded(collector, reference);
      }
    }
    throw new AssertionError("no run bound every combination within one millisecond in 200 attempts");
  }

  private static Histogram histogram(MetricDefinition d, Labels common, PrometheusRegistry reference) {
    return Histogram.builder().name(d.baseName()).help(d.help()).labelNames(d.labelNameArray()).constLabels(common)
        .classicUpperBounds(d.bucketArray()).classicOnly().withoutExemplars().register(reference);
  }

  static String write(ExpositionFormatWriter writer, MetricSnapshots snapshots) throws IOException {
    return new String(bytes(writer, snapshots), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ExpositionFormatWriter writer, MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, snapshots, EscapingScheme.DEFAULT);
    return out.toByteArray();
  }
}
