package io.pyairtable.metrics.http;

import static io.pyairtable.metrics.catalog.MetricCatalog.ACTIVE_CONNECTIONS;
import static io.pyairtable.metrics.catalog.MetricCatalog.ERRORS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.METRICS_CARDINALITY_OVERFLOW_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite every adapter passes, over real HTTP on loopback: clients that go away in the
 * middle of a request are recorded as 499 {@code client_abort} (never a 5xx) with one WARN line
 * and no stack trace; error replies never carry an exception's message. Adapters serve the
 * {@link AdapterContract} routes plus GET /stream (writes 64 KiB chunks until the client is gone,
 * at most 256 MiB), GET /bad (throws IllegalArgumentException with a secret message) and
 * GET /secure/* (401 without an Authorization header; with one, /secure/open answers 200 and
 * other paths 404; no route template on the JDK and Servlet adapters).
 */
public abstract class AdapterFaultContract extends AdapterHarness {

  /**
   * The label of GET /secure/open answered 401 after the path was confirmed: the path itself on
   * adapters that confirm paths; on Javalin the 401 comes from a before-handler, so the router
   * never matched a route and the request is "unmatched".
   */
  protected String labelOfARealPathRejectedBeforeItsHandler() {
    return "/secure/open";
  }

  private void awaitInFlight() {
    await(() -> scrape().value(ACTIVE_CONNECTIONS.name()) == 1, "one request in flight");
  }

  private void assertClientAbort(String method, String endpoint, LogCapture logs) {
    await(() -> scrape().value(ACTIVE_CONNECTIONS.name()) == 0, "no request in flight");
    await(() -> logs.events().stream().anyMatch(ev -> ev.getLoggerName().equals(RequestChain.class.getName())),
        "the WARN line");
    Exposition e = scrape();
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);
    assertThat(e.value(HTTP_REQUEST_DURATION_SECONDS.count(), "method", method, "endpoint", endpoint,
        "status_code", "499")).isEqualTo(1);
    assertThat(e.find(ERRORS_TOTAL.name())).hasSize(1);
    assertThat(e.value(ERRORS_TOTAL.name(), "error_type", "client_abort", "endpoint", endpoint)).isEqualTo(1);
    assertThat(e.samples()).noneMatch(s -> s.labels().getOrDefault("status_code", "").startsWith("5"));
    List<ILoggingEvent> warnings = logs.events().stream().filter(ev -> ev.getLevel().isGreaterOrEqual(Level.WARN))
        .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getLoggerName()).isEqualTo(RequestChain.class.getName());
    assertThat(warnings.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(warnings.get(0).getFormattedMessage()).contains(method + " " + endpoint + " 499")
        .contains("closed the connection");
    assertThat(logs.events()).allMatch(ev -> ev.getThrowableProxy() == null);
  }

  @Test
  @Timeout(30)
  void aBodyTrickledThenResetIsA499ClientAbortWithOneWarnLine() throws Exception {
    URI base = serve();
    try (LogCapture logs = new LogCapture()) {
      RawHttp raw = new RawHttp(base.getPort());
      raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 1000\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        raw.send("x");
      }
      awaitInFlight();
      raw.reset();
      assertClientAbort("POST", "/echo", logs);
    }
  }

  @Test
  @Timeout(30)
  void aBodyCutShortByACloseIsA499ClientAbort() throws Exception {
    URI base = serve();
    try (LogCapture logs = new LogCapture()) {
      RawHttp raw = new RawHttp(base.getPort());
      raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 1000\r\n\r\n" + "y".repeat(10));
      awaitInFlight();
      raw.close();
      assertClientAbort("POST", "/echo", logs);
    }
  }

  @Test
  @Timeout(30)
  void aClientThatResetsWhileTheResponseStreamsIsA499ClientAbort() throws Exception {
    URI base = serve();
    try (LogCapture logs = new LogCapture()) {
      RawHttp raw = new RawHttp(base.getPort());
      raw.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      raw.readStatusLine();
      raw.reset();
      assertClientAbort("GET", "/stream", logs);
    }
  }

  @Test
  @Timeout(60)
  void randomPathsAnswered401AddNoSeriesAndARealPathIsLabelledOnceConfirmed() throws Exception {
    URI base = serve();
    int n = 300;
    for (int i = 0; i < n; i++) {
      assertThat(get(base, "/secure/" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)).statusCode())
          .isEqualTo(401);
    }
    assertThat(get(base, "/secure/open").statusCode()).isEqualTo(401);
    awaitRequests(n + 1, "method", "GET", "endpoint", "unmatched", "status_code", "401");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);

    assertThat(get(base, "/secure/open", "Authorization", "Bearer x").statusCode()).isEqualTo(200);
    awaitRequests(1, "method", "GET", "endpoint", "/secure/open", "status_code", "200");
    assertThat(get(base, "/secure/open").statusCode()).isEqualTo(401);
    String rejected = labelOfARealPathRejectedBeforeItsHandler();
    awaitRequests(rejected.equals("unmatched") ? n + 2 : 1, "method", "GET", "endpoint", rejected, "status_code", "401");
    assertThat(get(base, "/secure/elsewhere", "Authorization", "Bearer x").statusCode()).isEqualTo(404);
    awaitRequests(1, "method", "GET", "endpoint", "unmatched", "status_code", "404");
    Exposition e = scrape();
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).hasSize(rejected.equals("unmatched") ? 3 : 4);
    assertThat(e.value(METRICS_CARDINALITY_OVERFLOW_TOTAL.name(), "metric", HTTP_REQUESTS_TOTAL.name())).isEqualTo(0);
  }

  private String loggedClient(URI base, String path) throws Exception {
    try (LogCapture logs = new LogCapture()) {
      assertThat(get(base, path, "X-Forwarded-For", "203.0.113.9, 10.0.0.1").statusCode()).isEqualTo(200);
      await(() -> !logs.accessEvents().isEmpty(), "the access-log line");
      ILoggingEvent line = logs.accessEvents().get(0);
      assertThat(line.getFormattedMessage()).endsWith(" client=" + line.getKeyValuePairs().stream()
          .filter(kv -> kv.key.equals("client")).findFirst().orElseThrow().value);
      return (String) line.getKeyValuePairs().stream().filter(kv -> kv.key.equals("client")).findFirst()
          .orElseThrow().value;
    }
  }

  @Test
  void xForwardedForIsNotTrustedUnlessAskedFor() throws Exception {
    assertThat(loggedClient(serve(), "/hello")).isEqualTo("127.0.0.1");
    assertThat(loggedClient(serve(MiddlewareOptions.builder().metricsCollector(collector).trustForwardedFor(true)
        .build()), "/hello")).isEqualTo("203.0.113.9");
  }

  @Test
  void anExceptionMessageNeverReachesTheClient() throws Exception {
    URI base = serve();
    var res = get(base, "/bad", "X-Request-ID", "bad-1");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.body()).isEqualTo(
        "{\"error\":{\"type\":\"bad_request\",\"message\":\"Bad request\",\"correlation_id\":\"bad-1\"}}");
    await(() -> scrape().value(ERRORS_TOTAL.name(), "error_type", "IllegalArgumentException", "endpoint", "/bad")
        == 1, "the error recorded");
    // the error and the request are recorded one after the other when the exchange ends: wait for both
    awaitRequests(1, "endpoint", "/bad");
    assertThat(scrape().value(HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "/bad", "status_code", "400"))
        .isEqualTo(1);
  }
}
