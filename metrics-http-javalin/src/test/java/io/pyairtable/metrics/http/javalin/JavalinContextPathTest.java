package io.pyairtable.metrics.http.javalin;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Javalin app under a context path: the chain sees paths within the application (so excluded
 * paths and the metrics endpoint match as without one), and a request outside the context, which
 * Jetty answers 404 itself, is counted once as "unmatched".
 */
@Timeout(60)
class JavalinContextPathTest extends AdapterHarness {

  @Override
  protected TestServer start(MiddlewareOptions options) {
    return PluginApps.start(options, config -> {
      config.router.contextPath = "/api";
      config.routes.get("/items/{id}", ctx -> ctx.result("item"));
      config.routes.get("/health", ctx -> ctx.result("ok"));
    });
  }

  @Test
  void pathsAreMatchedWithinTheContextAndRequestsOutsideItAreUnmatched() throws Exception {
    URI base = serve();
    assertThat(get(base, "api/items/1").body()).isEqualTo("item");
    assertThat(get(base, "api/items/2").statusCode()).isEqualTo(200);
    assertThat(get(base, "api/health").statusCode()).isEqualTo(200);   // excluded: /health within the context
    assertThat(get(base, "api/metrics").statusCode()).isEqualTo(200);  // the endpoint, excluded too
    assertThat(get(base, "elsewhere").statusCode()).isEqualTo(404);    // outside the context: Jetty's own 404
    assertThat(get(base, "metrics").statusCode()).isEqualTo(404);      // the endpoint is within the context only

    awaitRequests(2, "endpoint", "/items/{id}");
    awaitRequests(1, "endpoint", "unmatched");
    Exposition e = scrape();
    assertThat(e.find(HTTP_REQUESTS_TOTAL.name())).extracting(s -> s.labels()).containsExactlyInAnyOrder(
        Map.of("service", "test-svc", "method", "GET", "endpoint", "/items/{id}", "status_code", "200"),
        Map.of("service", "test-svc", "method", "GET", "endpoint", "unmatched", "status_code", "404"));
  }
}
