package io.pyairtable.metrics.http.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.javalin.JavalinMetricsPlugin;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import io.pyairtable.metrics.http.service.FullMetricsService;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests Jetty rejects itself, before any route (and so before the metrics chain) sees them,
 * sent raw over a socket: each is counted in {@code http_requests_total} with
 * {@code endpoint="unmatched"}, its status and the body size Jetty really wrote.
 */
class JettyRejectionTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("strict").version("1").jvmMetrics(false).initialize();
  private Javalin app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private RawHttp.Response raw(String request) throws Exception {
    try (RawHttp http = new RawHttp(app.port())) {
      return http.send(request).read();
    }
  }

  private static void await(IntSupplier count, int expected, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count.getAsInt() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  private void assertCounted(RawHttp.Response res, int status) {
    assertThat(res.status()).isEqualTo(status);
    String code = Integer.toString(status);
    await(() -> (int) new Exposition(collector.exportMetrics()).find(MetricCatalog.HTTP_REQUESTS_TOTAL.name(),
        "status_code", code).stream().mapToDouble(Exposition.Sample::value).sum(), 1, code + " counted");
    Exposition e = new Exposition(collector.exportMetrics());
    assertThat(e.find(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), "status_code", code)).singleElement()
        .satisfies(s -> assertThat(s.labels().get("endpoint")).isEqualTo("unmatched"));
    assertThat(e.find(MetricCatalog.HTTP_RESPONSE_SIZE_BYTES.sum(), "status_code", code)).singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(res.body().getBytes(StandardCharsets.UTF_8)
            .length));
    assertThat(res.body()).isNotEmpty();
  }

  private void rejectionsAreCounted() throws Exception {
    assertCounted(raw("THIS IS NOT HTTP\r\n\r\n"), 400);
    assertCounted(raw("GET /" + "u".repeat(16 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 414);
    assertCounted(raw("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "h".repeat(16 * 1024) + "\r\n\r\n"), 431);
    assertCounted(raw("POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n"), 413);
    Exposition e = new Exposition(collector.exportMetrics());
    assertThat(e.find(MetricCatalog.HTTP_REQUESTS_TOTAL.name())).hasSize(4);
  }

  @Test
  @Timeout(60)
  void theTurnkeyServiceCountsJettysOwnRejections() throws Exception {
    app = FullMetricsService.builder("strict").collector(collector).stopOnJvmShutdown(false)
        .serverLimits(ServerLimits.builder().maxRequestBody(1024 * 1024).build())
        .configure(config -> config.routes.get("/hello", ctx -> ctx.result("hi"))).build().start("127.0.0.1", 0);
    rejectionsAreCounted();
  }

  @Test
  @Timeout(60)
  void aJavalinAppWithTheMiddlewareCountsJettysOwnRejections() throws Exception {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.collector(collector)));
      config.jetty.modifyServer(server -> server.insertHandler(
          new SizeLimitHandler(1024 * 1024, -1)));
      config.routes.get("/hello", ctx -> ctx.result("hi"));
    }).start("127.0.0.1", 0);
    rejectionsAreCounted();
  }
}
