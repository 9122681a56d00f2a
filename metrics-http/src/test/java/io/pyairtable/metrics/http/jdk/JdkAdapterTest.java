package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.http.AdapterContract;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestScope;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The acceptance list against the JDK {@code HttpServer} filter. One context at "/" dispatches the
 * routes itself and names the template through the exchange attribute, as an application would.
 */
class JdkAdapterTest extends AdapterContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    HttpContext root = server.createContext("/", JdkAdapterTest::route);
    HttpMetrics.setupMiddleware(server, options, root);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    return new TestServer(base, () -> {
      server.stop(0);
      executor.shutdownNow();
    });
  }

  private static void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/hello") && method.equals("GET")) {
      template(ex, "/hello");
      send(ex, 200, "hello");
    } else if (path.startsWith("/items/") && path.indexOf('/', 7) < 0 && method.equals("GET")) {
      template(ex, "/items/{id}");
      send(ex, 200, "item " + path.substring(7));
    } else if (path.equals("/boom")) {
      template(ex, "/boom");
      throw new IllegalStateException(SECRET_MESSAGE);
    } else if (path.equals("/missing")) {
      template(ex, "/missing");
      throw HttpStatusException.notFound("no such item");
    } else if (path.equals("/chunked")) {
      template(ex, "/chunked");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] chunk = new byte[16 * 1024];
        for (int i = 0; i < MIB / chunk.length; i++) {
          out.write(chunk);
          out.flush();
        }
      }
    } else if (path.equals("/echo") && method.equals("POST")) {
      template(ex, "/echo");
      int n = ex.getRequestBody().readAllBytes().length;
      send(ex, 200, "read " + n);
    } else if (path.equals("/created")) {
      template(ex, "/created");
      send(ex, 201, "made");
    } else if (path.equals("/stream")) {
      template(ex, "/stream");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 4096; i++) {
          out.write(chunk);
          out.flush();
        }
      }
    } else if (path.equals("/bad")) {
      template(ex, "/bad");
      throw new IllegalArgumentException(SECRET_MESSAGE);
    } else if (path.startsWith("/secure/")) { // no template: the normalizer and the confirmed paths label it
      boolean open = path.equals("/secure/open");
      send(ex, ex.getRequestHeaders().getFirst("Authorization") == null ? 401 : open ? 200 : 404, open ? "open" : "no");
    } else if (path.equals("/health")) {
      send(ex, 200, "ok");
    } else {
      send(ex, 404, "not found");
    }
  }

  private static void template(HttpExchange ex, String template) {
    ex.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, template);
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
