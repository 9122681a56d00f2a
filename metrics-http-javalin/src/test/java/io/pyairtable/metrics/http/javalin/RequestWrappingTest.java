package io.pyairtable.metrics.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chain, and the hardening's body limit and minimum rate, wrap Jetty's request only when it
 * has a body to read (to count it, time it, see a client fail while sending it); a request without
 * one reaches the application as Jetty made it. Either way the plugin finds the request's scope,
 * so the route template is handed over and the request counted under it, and a body over the
 * limit is still refused: declared, before routing; streamed, when the application reads past the
 * limit, answered and counted as the 413 it is.
 */
@Timeout(30)
class RequestWrappingTest extends AdapterHarness {

  private ServerLimits limits;

  @Override
  protected TestServer start(MiddlewareOptions options) {
    Javalin javalin = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/items/{id}", RequestWrappingTest::wrapping);
      config.routes.post("/items/{id}", RequestWrappingTest::wrapping);
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> {
        cfg.options(options);
        if (limits != null) {
          cfg.serverLimits(limits);
        }
      }));
    }).start("127.0.0.1", 0);
    return new TestServer(URI.create("http://127.0.0.1:" + javalin.port() + "/"), javalin::stop);
  }

  /**
   * Answers the wrappers between Javalin's request and Jetty's own that watch a body (the chain's,
   * the minimum rate's, the body limit's), the application's side first, and the body read.
   */
  private static void wrapping(Context ctx) {
    List<String> watching = new ArrayList<>();
    Request r = ServletContextRequest.getServletContextRequest(ctx.req());
    while (r instanceof Request.Wrapper wrapper) {
      r = wrapper.getWrapped();
      String name = r.getClass().getName();
      if (name.startsWith("io.pyairtable.") || name.contains("SizeLimit")) {
        watching.add(name.substring(name.lastIndexOf('.') + 1));
      }
    }
    ctx.result(watching + " " + ctx.body());
  }

  @Test
  void onlyARequestWithABodyIsWrappedAndEveryOneIsCountedUnderItsRoute() throws Exception {
    URI base = serve();
    try (RawHttp http = new RawHttp(base.getPort())) {
      assertThat(http.get("/items/1").body()).isEqualTo("[] ");
      http.send("GET /items/2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("[] ");
      http.send("POST /items/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(http.read().body()).isEqualTo("[ChainHandler$ClientReads] abc");
      http.send("POST /items/4 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("[ChainHandler$ClientReads] de");
    }
    awaitRequests(2, "method", "GET", "endpoint", "/items/{id}", "status_code", "200");
    awaitRequests(2, "method", "POST", "endpoint", "/items/{id}", "status_code", "200");
  }

  @Test
  void underServerLimitsOnlyBodiesAreWrappedAndOneOverTheLimitIsA413DeclaredOrStreamed() throws Exception {
    limits = ServerLimits.builder().maxRequestBody(8).build();
    URI base = serve();
    try (RawHttp http = new RawHttp(base.getPort())) {
      assertThat(http.get("/items/1").body()).isEqualTo("[] ");
      http.send("POST /items/2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(http.read().body()).isEqualTo("[ChainHandler$ClientReads, SizeLimitHandler$SizeLimitRequestWrapper, "
          + "MinimumRateHandler$RateCheckedRequest] abc");
    }
    try (RawHttp http = new RawHttp(base.getPort())) {
      http.send("POST /items/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n123456789");
      assertThat(http.read().status()).isEqualTo(413);
    }
    try (RawHttp http = new RawHttp(base.getPort())) { // no length declared: refused as the bytes read pass the limit
      http.send("POST /items/4 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(413);
    }
    awaitRequests(1, "method", "GET", "endpoint", "/items/{id}", "status_code", "200");
    awaitRequests(1, "method", "POST", "endpoint", "/items/{id}", "status_code", "200");
    awaitRequests(1, "method", "POST", "endpoint", "/items/{id}", "status_code", "413");
    assertThat(scrape().find("http_requests_total", "status_code", "500")).isEmpty();
  }
}
