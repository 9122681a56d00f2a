package io.pyairtable.metrics.http.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jetty.RejectionRecorder;
import io.pyairtable.metrics.http.middleware.HttpMiddleware;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Servlet filter on plain Jetty behind Jetty's own {@link SizeLimitHandler}: a body over the
 * limit is a 413 whether its length was declared (Jetty refuses it before the servlet; the
 * {@link RejectionRecorder} counts it, {@code endpoint="unmatched"}) or it was streamed (the
 * servlet's read fails past the limit; the filter counts it under its route), never a 500 or a
 * client abort, with the chain's error handling on or off.
 */
@Timeout(30)
class ServletBodyLimitTest extends AdapterHarness {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    HttpMiddleware middleware = HttpMetrics.setupMiddleware(context.getServletContext(), options);
    RejectionRecorder.install(server, middleware.requestChain()); // what Jetty refuses before the servlet
    ContractServlets.byMapping().forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
    SizeLimitHandler limit = new SizeLimitHandler(8, -1);
    limit.setHandler(context);
    server.setHandler(limit);
    server.start();
    return new TestServer(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"), server::stop);
  }

  @Test
  void aBodyOverJettysLimitIsCountedAsThe413JettyAnswersDeclaredOrStreamed() throws Exception {
    refusedBodiesAreCountedAs413(serve());
  }

  @Test
  void withErrorHandlingOffJettyAnswersTheStreamed413AndTheFilterCountsIt() throws Exception {
    refusedBodiesAreCountedAs413(serve(MiddlewareOptions.builder().metricsCollector(collector)
        .enableErrorHandling(false).build()));
  }

  private void refusedBodiesAreCountedAs413(URI base) throws Exception {
    try (RawHttp http = new RawHttp(base.getPort())) {
      http.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
      assertThat(http.read().body()).isEqualTo("read 3");
    }
    try (RawHttp http = new RawHttp(base.getPort())) {
      http.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n123456789");
      assertThat(http.read().status()).isEqualTo(413);
    }
    try (RawHttp http = new RawHttp(base.getPort())) {
      http.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(413);
    }
    awaitRequests(1, "method", "POST", "endpoint", "/echo", "status_code", "200");
    awaitRequests(1, "method", "POST", "endpoint", "unmatched", "status_code", "413");
    awaitRequests(1, "method", "POST", "endpoint", "/echo", "status_code", "413");
    assertThat(scrape().find("http_requests_total", "status_code", "500")).isEmpty();
    assertThat(scrape().find("http_requests_total", "status_code", "499")).isEmpty();
  }
}
