package io.pyairtable.metrics.http.javalin;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin hands Javalin's matched route template over through a request logger: async routes
 * get their template too, and the application's own request loggers still run; a servlet filter in
 * Javalin's context that answers itself names its template through the request attribute.
 */
@Timeout(60)
class JavalinRouteTemplateTest extends AdapterHarness {

  private final List<String> loggedByTheApplication = new CopyOnWriteArrayList<>();

  @Override
  protected TestServer start(MiddlewareOptions options) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.requestLogger.http((ctx, ms) -> loggedByTheApplication.add(ctx.path()));
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.options(options)));
      config.routes.get("/later/{id}", ctx -> ctx.future(() -> CompletableFuture.supplyAsync(
          () -> "later " + ctx.pathParam("id"), CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
          .thenAccept(ctx::result)));
      config.routes.get("/items/{id}", ctx -> ctx.result("item"));
      // a servlet filter in Javalin's context that answers /raw/* itself, naming its template (as the MCP meter does)
      config.jetty.modifyServletContextHandler(context -> context.addFilter(new FilterHolder((Filter)
          (req, res, next) -> {
            req.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, "/raw/{name}");
            res.getOutputStream().write("raw".getBytes(StandardCharsets.US_ASCII));
          }), "/raw/*", EnumSet.of(DispatcherType.REQUEST)));
    }).start("127.0.0.1", 0);
    return new TestServer(URI.create("http://127.0.0.1:" + app.port() + "/"), app::stop);
  }

  @Test
  void anAsyncRouteIsLabelledWithItsTemplate() throws Exception {
    URI base = serve();
    for (int i = 0; i < 5; i++) {
      assertThat(get(base, "later/" + i).body()).isEqualTo("later " + i);
    }

    awaitRequests(5, "endpoint", "/later/{id}");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("endpoint", "/later/{id}")
            .containsEntry("status_code", "200").containsEntry("method", "GET"));
  }

  @Test
  void aServletInTheContextNamesItsTemplateThroughTheRequestAttribute() throws Exception {
    URI base = serve();
    assertThat(get(base, "raw/a").body()).isEqualTo("raw");
    assertThat(get(base, "raw/b").body()).isEqualTo("raw");

    awaitRequests(2, "endpoint", "/raw/{name}");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("endpoint", "/raw/{name}")
            .containsEntry("status_code", "200").containsEntry("method", "GET"));
    assertThat(scrape().value(HTTP_RESPONSE_SIZE_BYTES.sum(), "method", "GET", "endpoint", "/raw/{name}"))
        .isEqualTo(6.0);
  }

  @Test
  void theApplicationsOwnRequestLoggerStillSeesEveryRequest() throws Exception {
    URI base = serve();
    get(base, "items/1");
    get(base, "items/2");
    get(base, "nowhere");

    awaitRequests(2, "endpoint", "/items/{id}");
    awaitRequests(1, "endpoint", "unmatched");
    assertThat(loggedByTheApplication).containsExactly("/items/1", "/items/2", "/nowhere");
  }
}
