package io.pyairtable.metrics.http.javalin;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jetty.ServedPaths;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Paths the plugin's Jetty handler answers ahead of Javalin's router: the metrics endpoint, which an
 * application's catch-all route does not shadow, for which Javalin's before handlers do not run, and
 * which answers every method as on every other server (HEAD without a body, OPTIONS 204, anything
 * else 405, each with {@code Allow: GET, HEAD}); a path given with {@code cfg.answer}, counted under
 * its own path; and a Javalin route for such a path, which stops the server from starting.
 */
@Timeout(60)
class JavalinScrapeEndpointTest extends AdapterHarness {

  @Override
  protected TestServer start(MiddlewareOptions options) {
    return PluginApps.start(options, config -> {
      config.routes.before(ctx -> ctx.header("X-Before", "ran"));
      config.routes.get("/*", ctx -> ctx.result("catch-all"));
    });
  }

  @Test
  void aCatchAllRouteDoesNotShadowTheEndpointAndBeforeHandlersDoNotRunForAScrape() throws Exception {
    URI base = serve();
    assertThat(get(base, "other").body()).isEqualTo("catch-all");
    awaitRequests(1, "endpoint", "/*");

    for (String path : List.of("metrics", "metrics/")) {
      HttpResponse<String> scrape = get(base, path);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(scrape.headers().firstValue("X-Before")).isEmpty();
      assertThat(new Exposition(scrape.body()).find(HTTP_REQUESTS_TOTAL.name())).extracting(s -> s.labels())
          .containsExactly(Map.of("service", "test-svc", "method", "GET", "endpoint", "/*", "status_code", "200"));
    }
    // a path below the endpoint's is the application's (and, below an excluded path, not counted)
    assertThat(get(base, "metrics/other").body()).isEqualTo("catch-all");
  }

  @Test
  void theEndpointAnswersHeadWithoutABodyAndOtherMethodsWithTheMethodsItAllows() throws Exception {
    URI base = serve();
    HttpResponse<String> head = send(base, "HEAD");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> options = send(base, "OPTIONS");
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> post = send(base, "POST");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).isEmpty(); // the endpoint's path is excluded
  }

  @Test
  void aPathAnsweredByThePluginIsCountedUnderItsOwnPath() throws Exception {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/*", ctx -> ctx.result("catch-all"));
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.collector(collector).answer("/status",
          (method, authorization) -> ServedPaths.Answer.of(200, "text/plain",
              method.getBytes(StandardCharsets.UTF_8)))));
    }).start("127.0.0.1", 0);
    try {
      URI base = URI.create("http://127.0.0.1:" + app.port() + "/");
      assertThat(get(base, "status").body()).isEqualTo("GET");
      assertThat(get(base, "status/").body()).isEqualTo("GET");
      awaitRequests(2, "endpoint", "/status");
      assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).extracting(s -> s.labels()).containsExactly(
          Map.of("service", "test-svc", "method", "GET", "endpoint", "/status", "status_code", "200"));
    } finally {
      app.stop();
    }
  }

  @Test
  void aRouteForAPathThePluginAnswersStopsTheServerFromStartingWithItsName() {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.collector(collector)));
      config.routes.get("/metrics/", ctx -> ctx.result("mine"));
    });
    try {
      assertThatThrownBy(() -> app.start("127.0.0.1", 0))
          .hasStackTraceContaining("GET /metrics/ would never run: the pyairtable-metrics plugin answers /metrics/ "
              + "itself (its metrics endpoint or cfg.answer); remove the route or move it to another path");
    } finally {
      app.stop();
    }
  }

  private HttpResponse<String> send(URI base, String method) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve("metrics")).timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
