package io.pyairtable.metrics.http;

import static io.pyairtable.metrics.catalog.MetricCatalog.ACTIVE_CONNECTIONS;
import static io.pyairtable.metrics.catalog.MetricCatalog.ERRORS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.METRICS_SCRAPE_DURATION_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The metrics endpoint's part of the acceptance list, for every adapter: OpenMetrics by
 * {@code Accept}, gzip by {@code Accept-Encoding}, the {@code name[]} filter, bearer and basic auth.
 */
public abstract class MetricsEndpointContract extends AdapterHarness {

  // --- /metrics -----------------------------------------------------------------------------------

  @Test
  void metricsEndpointServesOpenMetricsByAccept() throws Exception {
    URI base = serve();
    get(base, "/hello");
    awaitRequests(1, "endpoint", "/hello");
    HttpResponse<String> res = get(base, "/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
    assertThat(res.body()).endsWith("# EOF\n").contains("http_requests_total{endpoint=\"/hello\"");
    HttpResponse<String> text = get(base, "/metrics");
    // media-type parameters are compared without the optional whitespace (Tomcat writes "text/plain;version=...")
    assertThat(text.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""))
        .startsWith("text/plain;version=0.0.4");
    // the scrape is timed once the body is written, which can be just after the client has it
    await(() -> scrape().value(METRICS_SCRAPE_DURATION_SECONDS.count()) == 2, "two timed scrapes");
    // /metrics itself is excluded from the request metrics
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);
  }

  @Test
  void metricsEndpointGzipsByAcceptEncodingAndFiltersByName() throws Exception {
    URI base = serve();
    get(base, "/hello");
    awaitRequests(1, "endpoint", "/hello");
    HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(base.resolve("/metrics?name[]="
        + HTTP_REQUESTS_TOTAL.name())).header("Accept-Encoding", "gzip").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.headers().firstValue("Content-Encoding")).contains("gzip");
    String body;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(res.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("http_requests_total{endpoint=\"/hello\",method=\"GET\",service=\"test-svc\","
        + "status_code=\"200\"} 1.0").doesNotContain("active_connections");
  }

  @Test
  void metricsEndpointWithAuthRefusesMissingOrWrongCredentials() throws Exception {
    URI base = serve(MiddlewareOptions.builder().metricsCollector(collector)
        .metricsAuth(MetricsAuth.bearer("scrape-token")).build());
    HttpResponse<String> none = get(base, "/metrics");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"metrics\"");
    assertThat(none.body()).doesNotContain("http_requests_total");
    assertThat(get(base, "/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = get(base, "/metrics", "Authorization", "Bearer scrape-token");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("# TYPE active_connections gauge");
  }

  @Test
  void basicAuthProtectsTheMetricsEndpoint() throws Exception {
    URI base = serve(MiddlewareOptions.builder().metricsCollector(collector)
        .metricsAuth(MetricsAuth.basic("prometheus", "pw")).build());
    assertThat(get(base, "/metrics").statusCode()).isEqualTo(401);
    String good = Base64.getEncoder().encodeToString("prometheus:pw".getBytes(StandardCharsets.UTF_8));
    assertThat(get(base, "/metrics", "Authorization", "Basic " + good).statusCode()).isEqualTo(200);
  }
}
