package io.pyairtable.metrics.benchmarks.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scrape harness compares like with like, and each of its benchmarks runs and yields a body. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScrapeHarnessTest {

  private final ScrapeFixture fixture = new ScrapeFixture(2);

  @Test
  void bothSidesExposeTheSameTenThousandHttpSamples() throws IOException {
    List<String> ours = httpLines(text(ScrapeFormat.TEXT, true));
    List<String> clientJava = httpLines(text(ScrapeFormat.TEXT, false));

    assertThat(ours).isEqualTo(clientJava);
    assertThat(ours.stream().filter(l -> !l.startsWith("#")).count()).isEqualTo(10_000L).isEqualTo(ScrapeFixture.SAMPLES);
    assertThat(ours).contains("# TYPE http_request_duration_seconds histogram");
  }

  @Test
  void gzipScrapeIsTheTextScrapeCompressed() throws IOException {
    MemoryExchange gzip = new MemoryExchange(ScrapeFormat.GZIP_TEXT);
    fixture.scrapeClientJava(gzip.reset());

    assertThat(gzip.responseHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(gunzip(gzip.body())).isEqualTo(text(ScrapeFormat.TEXT, false));
    fixture.scrapeOurs(gzip.reset());
    assertThat(gzip.responseHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(httpLines(gunzip(gzip.body()))).isEqualTo(httpLines(text(ScrapeFormat.TEXT, false)));
  }

  @Test
  void openMetricsScrapeOfBothSidesIsOpenMetrics() throws IOException {
    for (boolean ours : new boolean[] {true, false}) {
      MemoryExchange om = new MemoryExchange(ScrapeFormat.OPENMETRICS);
      if (ours) {
        fixture.scrapeOurs(om);
      } else {
        fixture.scrapeClientJava(om);
      }
      assertThat(om.responseHeader("Content-Type")).startsWith("application/openmetrics-text; version=1.0.0");
      assertThat(new String(om.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    }
  }

  @Test
  void everyScrapeThroughTheEndpointIsTimedWithinItsWallTime() throws IOException {
    MemoryExchange exchange = new MemoryExchange(ScrapeFormat.TEXT);
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      fixture.scrapeOurs(exchange.reset());
    }
    double wall = (System.nanoTime() - start) / 1e9;

    double[] countAndSum = fixture.scrapeDurationCountAndSum();
    assertThat(countAndSum[0]).isEqualTo(3.0);
    assertThat(countAndSum[1]).isPositive().isLessThanOrEqualTo(wall);
  }

  @Test
  void eachBenchmarkMethodRunsOnceAndYieldsABody() throws IOException {
    ScrapeBenchmark benchmark = new ScrapeBenchmark();
    benchmark.format = ScrapeFormat.GZIP_TEXT;
    benchmark.setUp();

    assertThat(benchmark.ours()).isPositive();
    assertThat(benchmark.clientJava()).isPositive();
    assertThat(benchmark.oursScrape()).isPositive();
    assertThat(benchmark.clientJavaScrape()).isPositive();
    benchmark.oursRecord();
    benchmark.clientJavaRecord();
  }

  @Test
  void pairedHarnessGivesOneRatioPerPairAndTimesEveryMeasuredScrapeOfOurs() throws Exception {
    ScrapePairs.Result r = ScrapePairs.run(ScrapeFormat.GZIP_TEXT, true, 2, 3, 1);

    assertThat(r.cpuRatios()).hasSize(6);
    assertThat(r.wallRatios()).hasSize(6);
    assertThat(r.cpuRatio()).isPositive().isFinite();
    assertThat(r.wallRatio()).isPositive().isFinite();
    assertThat(r.roundCpuMedians()).hasSize(2);
    assertThat(r.recordedScrapes()).isEqualTo(6L);
    assertThat(r.recordedMeanMs()).isPositive().isLessThanOrEqualTo(r.measuredMeanMs());
    assertThat(r.line()).startsWith("PAIRED format=GZIP_TEXT load=recording pairs=6 cpu_ratio=");
  }

  private String text(ScrapeFormat format, boolean ours) throws IOException {
    MemoryExchange exchange = new MemoryExchange(format);
    if (ours) {
      fixture.scrapeOurs(exchange);
    } else {
      fixture.scrapeClientJava(exchange);
    }
    assertThat(exchange.status()).isEqualTo(200);
    return new String(exchange.body(), StandardCharsets.UTF_8);
  }

  private static List<String> httpLines(String exposition) {
    return exposition.lines()
        .filter(l -> l.startsWith("http_") || l.startsWith("# HELP http_") || l.startsWith("# TYPE http_"))
        .toList();
  }

  private static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
