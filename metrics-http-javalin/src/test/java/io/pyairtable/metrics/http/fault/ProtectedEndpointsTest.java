package io.pyairtable.metrics.http.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.jdk.ManagementServer;
import io.pyairtable.metrics.http.service.FullMetricsService;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HEAD and OPTIONS on a protected metrics endpoint get the same 401 as GET, on the turnkey
 * service (Javalin, {@code /metrics} and {@code /metrics/summary}), the servlet endpoint and the
 * JDK management server; with the credentials, GET and HEAD answer 200 and OPTIONS 204.
 */
class ProtectedEndpointsTest {

  private static final String TOKEN = "s3cret-token";
  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("guarded").version("1").jvmMetrics(false).initialize();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private AutoCloseable server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private int send(URI uri, String method, boolean authorised) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorised) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() == 401) {
      assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"metrics\"");
    }
    return res.statusCode();
  }

  private void assertGuarded(URI uri) throws Exception {
    for (String method : List.of("GET", "HEAD", "OPTIONS")) {
      assertThat(send(uri, method, false)).as(method + " " + uri + " without credentials").isEqualTo(401);
    }
    assertThat(send(uri, "GET", true)).isEqualTo(200);
    assertThat(send(uri, "HEAD", true)).isEqualTo(200);
    assertThat(send(uri, "OPTIONS", true)).isEqualTo(204);
  }

  @Test
  @Timeout(60)
  void theTurnkeyServiceAnswersEveryMethodWithoutCredentials401() throws Exception {
    Javalin app = FullMetricsService.builder("guarded").collector(collector).stopOnJvmShutdown(false)
        .options(o -> o.metricsAuth(MetricsAuth.bearer(TOKEN))).build().start("127.0.0.1", 0);
    server = app::stop;
    assertGuarded(URI.create("http://127.0.0.1:" + app.port() + "/metrics"));
    assertGuarded(URI.create("http://127.0.0.1:" + app.port() + "/metrics/summary"));
  }

  @Test
  @Timeout(60)
  void theServletEndpointAnswersEveryMethodWithoutCredentials401() throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    HttpMetrics.setupMiddleware(context.getServletContext(), MiddlewareOptions.builder().metricsCollector(collector)
        .metricsAuth(MetricsAuth.bearer(TOKEN)).build());
    jetty.setHandler(context);
    jetty.start();
    server = jetty::stop;
    assertGuarded(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/metrics"));
  }

  @Test
  @Timeout(60)
  void theManagementServerAnswersEveryMethodWithoutCredentials401() throws Exception {
    ManagementServer management = ManagementServer.start(new MetricsEndpoint(collector, MetricsAuth.bearer(TOKEN)),
        "/metrics", InetAddress.getLoopbackAddress(), 0);
    server = management;
    assertGuarded(URI.create("http://127.0.0.1:" + management.port() + "/metrics"));
  }
}
