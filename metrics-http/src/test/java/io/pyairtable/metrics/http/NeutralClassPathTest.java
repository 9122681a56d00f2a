package io.pyairtable.metrics.http;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.servlet.TomcatServletAdapterTest;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pyairtable-metrics-http is framework-neutral: its class path (this module's tests run on it,
 * with Tomcat added as the servlet container) has no Javalin, Jetty or Kotlin, and on it the JDK
 * {@code HttpServer} adapter and the Servlet filter (on Tomcat) both record a request. The full
 * acceptance lists run on the same class path: {@code JdkAdapterTest}, {@code TomcatServletAdapterTest}.
 */
class NeutralClassPathTest extends AdapterHarness {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return TomcatServletAdapterTest.startTomcat(options);
  }

  @Test
  void theClassPathHasNeitherJavalinNorJettyNorKotlin() {
    List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    assertThat(classPath).noneMatch(e -> e.contains("/io/javalin/") || e.contains("/org/eclipse/jetty/")
        || e.contains("/org/jetbrains/kotlin/"));
    for (String type : List.of("io.javalin.Javalin", "org.eclipse.jetty.server.Server", "kotlin.Unit")) {
      assertThatThrownBy(() -> Class.forName(type)).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  @Timeout(60)
  void theJdkAdapterAndTheServletFilterRecordARequestEach() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpContext api = server.createContext("/hello", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    HttpMetrics.setupMiddleware(server, MiddlewareOptions.builder().metricsCollector(collector)
        .routeTemplates("/hello").build(), api);
    server.start();
    try {
      URI jdk = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      assertThat(get(jdk, "/hello").body()).isEqualTo("hello");
      awaitRequests(1, "method", "GET", "endpoint", "/hello", "status_code", "200");
    } finally {
      server.stop(0);
    }
    URI tomcat = serve();
    assertThat(get(tomcat, "/hello").body()).isEqualTo("hello");
    awaitRequests(2, "method", "GET", "endpoint", "/hello", "status_code", "200");
    assertThat(scrape().find(HTTP_REQUESTS_TOTAL.name())).hasSize(1);
  }
}
