package io.pyairtable.metrics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.pyairtable.metrics.HttpEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark compares like with like: every variant records the same series and values. */
class HttpRecordVariantsTest {

  @Test
  void everyVariantRecordsTheSameCountsBucketsAndSums() throws IOException {
    HttpRecordVariants v = new HttpRecordVariants();
    HttpRecordVariants.PreBound bound = v.preBind("GET", "/x", "200");

    for (int i = 0; i < 3; i++) {
      v.collector().recordHttpRequest("GET", "/x", 200, 0.042, 120, 2048);
      bound.record(0.042, 120, 2048);
    }

    String ours = v.collector().exportMetrics();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(raw, v.rawRegistry().scrape());
    String rawText = raw.toString(StandardCharsets.UTF_8);
    for (String line : new String[] {
        "http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\"} 3.0",
        "http_request_duration_seconds_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\",le=\"0.05\"} 3",
        "http_request_size_bytes_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",le=\"1000.0\"} 3",
        "http_response_size_bytes_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\",le=\"10000.0\"} 3",
    }) {
      assertThat(ours.lines()).contains(line);
      assertThat(rawText.lines()).contains(line);
    }
  }

  @Test
  void thePreBoundEndpointAndTheHistogramsOnlyFloorRecordTheSameHistograms() throws IOException {
    HttpRecordVariants v = new HttpRecordVariants();
    HttpRecordVariants.PreBound bound = v.preBind("GET", "/x", "200");
    HttpEndpoint endpoint = v.collector().httpEndpoint("GET", "/x");

    for (int i = 0; i < 3; i++) {
      endpoint.record(200, 0.042, 120, 2048);
      bound.recordHistograms(0.042, 120, 2048);
    }

    String ours = v.collector().exportMetrics();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(raw, v.rawRegistry().scrape());
    String rawText = raw.toString(StandardCharsets.UTF_8);
    for (String line : new String[] {
        "http_request_duration_seconds_count{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\"} 3",
        "http_request_duration_seconds_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\",le=\"0.05\"} 3",
        "http_request_size_bytes_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",le=\"1000.0\"} 3",
        "http_response_size_bytes_bucket{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\",le=\"10000.0\"} 3",
    }) {
      assertThat(ours.lines()).contains(line);
      assertThat(rawText.lines()).contains(line);
    }
    assertThat(ours.lines()).contains(
        "http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\"} 3.0");
    // the floor's counter is bound (preBind) but the histograms-only record never increments it
    assertThat(rawText.lines()).contains(
        "http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"bench\",status_code=\"200\"} 0.0");
  }

  @Test
  void micrometerVariantRecordsTheSameCounts() {
    HttpRecordVariants v = new HttpRecordVariants();

    for (int i = 0; i < 3; i++) {
      v.micrometer("GET", "/x", "200", 0.042, 120, 2048);
    }

    String text = v.micrometerRegistry().scrape();
    assertThat(text.lines()).contains(
        "http_requests_total{endpoint=\"/x\",method=\"GET\",status_code=\"200\"} 3.0",
        "http_request_duration_seconds_count{endpoint=\"/x\",method=\"GET\",status_code=\"200\"} 3",
        "http_request_size_bytes_count{endpoint=\"/x\",method=\"GET\"} 3",
        "http_response_size_bytes_count{endpoint=\"/x\",method=\"GET\",status_code=\"200\"} 3");
  }
}
