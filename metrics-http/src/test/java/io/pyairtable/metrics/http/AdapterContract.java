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
import io.pyairtable.metrics.http.chain.EndpointLabels;
import io.pyairtable.metrics.http.chain.HttpStatusException;
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
import java.util.List;
import java.util.Locale;
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
 * The acceptance list of the chain, run over real HTTP against each adapter. Every adapter's
 * server answers the same routes: GET /hello, GET /items/{id}, GET /boom (throws
 * IllegalStateException), GET /missing (throws HttpStatusException 404), GET /chunked (1 MiB
 * streamed), POST /echo (reads the body), GET /created (201), GET /health.
 */
public abstract class AdapterContract extends MetricsEndpointContract {

  @Test
  void countsExactlyPerRouteTemplate() throws Exception {
    URI base = serve();
    for (int i = 0; i < 3; i++) {
      assertThat(get(base, "/hello").statusCode()).isEqualTo(200);
    }
    assertThat(get(base, "/items/123").body()).isEqualTo("item 123");
    assertThat(get(base, "/items/456").body()).isEqualTo("item 456");
    assertThat(get(base, "/created").statusCode()).isEqualTo(201);

    Exposition e = scrapeAfterOne("/created");
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/hello", "status_code", "200"))
        .isEqualTo(3);
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/items/{id}", "status_code", "200"))
        .isEqualTo(2);
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/created", "status_code", "201"))
        .isEqualTo(1);
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(3);
    assertThat(e.value(HTTP_REQUEST_DURATION_SECONDS.count(), "endpoint", "/items/{id}")).isEqualTo(2);
    assertThat(e.samples()).noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains("123")));
    assertThat(e.value(ERRORS_TOTAL.name())).isEqualTo(0);
  }

  @Test
  void randomUnmatchedPathsAddNoSeries() throws Exception {
    URI base = serve();
    get(base, "/hello");
    int before = scrapeAfterOne("/hello").find(HTTP_REQUESTS_TOTAL.name()).size();
    int n = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          int notFound = 0;
          ThreadLocalRandom r = ThreadLocalRandom.current();
          for (int i = 0; i < n / 8; i++) {
            String path = "/nope-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "/" + r.nextInt(1_000_000);
            HttpResponse<Void> res = client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() == 404) {
              notFound++;
            }
          }
          return notFound;
        }));
      }
      int notFound = 0;
      for (Future<Integer> f : results) {
        notFound += f.get();
      }
      assertThat(notFound).isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
    awaitRequests(n, "endpoint", EndpointLabels.UNMATCHED);
    Exposition e = scrape();
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(before + 1);
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", EndpointLabels.UNMATCHED,
        "status_code", "404")).isEqualTo(n);
    assertThat(e.samples()).noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.startsWith("/nope")));
  }

  @Test
  void handlerExceptionCountsOnceAs500() throws Exception {
    URI base = serve();
    HttpResponse<String> res = get(base, "/boom", "X-Request-ID", "boom-1");
    assertThat(res.statusCode()).isEqualTo(500);
    assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(res.body()).isEqualTo(
        "{\"error\":{\"type\":\"internal_error\",\"message\":\"Internal server error\",\"correlation_id\":\"boom-1\"}}");
    assertThat(res.body()).doesNotContain(SECRET_MESSAGE);

    Exposition e = scrapeAfterOne("/boom");
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/boom", "status_code", "500"))
        .isEqualTo(1);
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);
    assertThat(e.value(HTTP_REQUEST_DURATION_SECONDS.count(), "endpoint", "/boom", "status_code", "500")).isEqualTo(1);
    assertThat(e.value(ERRORS_TOTAL.name(), "error_type", "IllegalStateException", "endpoint", "/boom")).isEqualTo(1);
    assertThat(e.find(ERRORS_TOTAL.name())).hasSize(1);
  }

  @Test
  void mappedExceptionAnswersItsStatusWithTheMessage() throws Exception {
    URI base = serve();
    HttpResponse<String> res = get(base, "/missing", "X-Request-ID", "m-1");
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.body()).isEqualTo(
        "{\"error\":{\"type\":\"not_found\",\"message\":\"no such item\",\"correlation_id\":\"m-1\"}}");
    Exposition e = scrapeAfterOne("/missing");
    assertThat(e.value(HTTP_REQUESTS_TOTAL.name(), "endpoint", "/missing", "status_code", "404")).isEqualTo(1);
    assertThat(e.value(ERRORS_TOTAL.name(), "error_type", "HttpStatusException", "endpoint", "/missing")).isEqualTo(1);
  }

  @Test
  void chunkedMebibyteResponseIsCountedInFull() throws Exception {
    URI base = serve();
    HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(base.resolve("/chunked")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Length")).isEmpty();
    assertThat(res.body()).hasSize(MIB);
    Exposition e = scrapeAfterOne("/chunked");
    assertThat(e.value(HTTP_RESPONSE_SIZE_BYTES.sum(), "endpoint", "/chunked", "status_code", "200"))
        .isGreaterThanOrEqualTo(MIB);
    assertThat(e.value(HTTP_RESPONSE_SIZE_BYTES.count(), "endpoint", "/chunked")).isEqualTo(1);
  }

  @Test
  void requestBodyBytesAreCounted() throws Exception {
    URI base = serve();
    byte[] body = new byte[5_000];
    ThreadLocalRandom.current().nextBytes(body);
    HttpResponse<String> res = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.body()).isEqualTo("read 5000");
    Exposition e = scrapeAfterOne("/echo");
    assertThat(e.value(HTTP_REQUEST_SIZE_BYTES.sum(), "method", "POST", "endpoint", "/echo")).isEqualTo(5_000);
    assertThat(e.value(HTTP_RESPONSE_SIZE_BYTES.sum(), "method", "POST", "endpoint", "/echo")).isEqualTo(9);
  }

  @Test
  void activeConnectionsReturnToZeroAfterConcurrentLoad() throws Exception {
    URI base = serve();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String path = switch (i % 4) {
          case 0 -> "/hello";
          case 1 -> "/items/" + i;
          case 2 -> "/boom";
          default -> "/nope/" + i;
        };
        results.add(pool.submit(() -> get(base, path).statusCode()));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isIn(200, 404, 500);
      }
    } finally {
      pool.shutdownNow();
    }
    await(() -> total() == 400, "400 requests recorded");
    await(() -> scrape().value(ACTIVE_CONNECTIONS.name()) == 0, "active_connections back to 0");
    assertThat(scrape().value(ACTIVE_CONNECTIONS.name())).isEqualTo(0);
    assertThat(scrape().value(ERRORS_TOTAL.name(), "error_type", "IllegalStateException", "endpoint", "/boom"))
        .isEqualTo(100);
    assertThat(scrape().find(ERRORS_TOTAL.name())).hasSize(1);
  }

  private double total() {
    return scrape().find(HTTP_REQUESTS_TOTAL.name()).stream().mapToDouble(Exposition.Sample::value).sum();
  }

  @Test
  void safeCorrelationIdIsEchoedAndUnsafeOnesAreReplaced() throws Exception {
    URI base = serve();
    assertThat(get(base, "/hello", "X-Request-ID", "req-42.a_b").headers().firstValue("X-Request-ID"))
        .contains("req-42.a_b");
    String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    assertThat(get(base, "/hello").headers().firstValue("X-Request-ID").orElseThrow()).matches(uuid);
    assertThat(get(base, "/hello", "X-Request-ID", "a b<script>").headers().firstValue("X-Request-ID")
        .orElseThrow()).matches(uuid);
    String tenKb = "x".repeat(10 * 1024);
    assertThat(get(base, "/hello", "X-Request-ID", tenKb).headers().firstValue("X-Request-ID").orElseThrow())
        .matches(uuid);
    assertThat(get(base, "/hello", "X-Request-ID", "x".repeat(129)).headers().firstValue("X-Request-ID")
        .orElseThrow()).matches(uuid);
    // A bare CR inside the value (java.net.http refuses to send one): over a raw socket.
    String raw = rawRequest(base, "GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: abc\rSet-Cookie: x=1\r\n"
        + "Connection: close\r\n\r\n");
    // The server either rejects the request or ends the header at the CR; no injected header is answered.
    assertThat(raw).doesNotContainIgnoringCase("Set-Cookie");
    for (String line : raw.split("\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("x-request-id:")) {
        assertThat(line.substring(line.indexOf(':') + 1).trim()).matches("[A-Za-z0-9._-]{1,128}");
      }
    }
  }

  @Test
  void correlationIdBecomesAnExemplarInOpenMetrics() throws Exception {
    URI base = serve();
    get(base, "/hello", "X-Request-ID", "trace-me-1");
    awaitRequests(1, "endpoint", "/hello");
    assertThat(collector.exportOpenMetrics()).contains("# {correlation_id=\"trace-me-1\"}");
  }

  @Test
  void credentialsNeverReachTheLogs() throws Exception {
    URI base = serve();
    try (LogCapture logs = new LogCapture()) {
      get(base, "/hello", "Authorization", "Bearer super-secret-token-42", "Cookie", "session=cookie-secret-99",
          "X-API-Key", "key-secret-77");
      get(base, "/boom", "Authorization", "Basic dXNlcjpzZWNyZXQtcGFzc3dvcmQ=");
      awaitRequests(1, "endpoint", "/boom");
      await(() -> logs.accessEvents().size() == 2, "two access-log lines");
      List<String> texts = logs.texts();
      assertThat(texts).isNotEmpty();
      assertThat(String.join("\n", texts)).doesNotContain("super-secret-token-42", "cookie-secret-99",
          "key-secret-77", "dXNlcjpzZWNyZXQtcGFzc3dvcmQ=", "Bearer", "Authorization");
      assertThat(logs.accessEvents().get(0).getFormattedMessage()).startsWith("GET /hello 200 ");
      assertThat(logs.accessEvents().get(1).getFormattedMessage()).startsWith("GET /boom 500 ");
    }
  }

  @Test
  void excludedPathsAreNotRecorded() throws Exception {
    URI base = serve();
    assertThat(get(base, "/health").statusCode()).isEqualTo(200);
    get(base, "/hello");
    Exposition e = scrapeAfterOne("/hello");
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);
    assertThat(e.value(ACTIVE_CONNECTIONS.name())).isEqualTo(0);
  }

  @Test
  void unknownMethodFoldsIntoOther() throws Exception {
    URI base = serve();
    client.send(HttpRequest.newBuilder(base.resolve("/hello")).method("BREW", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.discarding());
    await(() -> !scrape().find(HTTP_REQUESTS_TOTAL.name(), "method", EndpointLabels.OTHER_METHOD).isEmpty(),
        "a request with method OTHER");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name()).stream().map(s -> s.labels().get("method")))
        .containsOnly(EndpointLabels.OTHER_METHOD);
  }

  @Test
  void disabledMetricsRecordNothingButKeepCorrelationAndErrors() throws Exception {
    URI base = serve(MiddlewareOptions.builder().metricsCollector(collector).enableMetrics(false).build());
    HttpResponse<String> res = get(base, "/missing", "X-Request-ID", "off-1");
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.headers().firstValue("X-Request-ID")).contains("off-1");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).isEmpty();
  }
}
