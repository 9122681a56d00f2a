package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterContract;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The acceptance list against the Jakarta Servlet filter on plain Jetty. Routes are servlet
 * mappings: exact ones name their template; {@code /items/*} is labelled by the normalizer.
 */
class ServletAdapterTest extends AdapterContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(32 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    HttpMetrics.setupMiddleware(context, options);
    context.addServlet(new ServletHolder(text("hello", 200)), "/hello");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.getWriter().write("item " + req.getPathInfo().substring(1));
      }
    }), "/items/*");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) {
        throw new IllegalStateException(SECRET_MESSAGE);
      }
    }), "/boom");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) {
        throw HttpStatusException.notFound("no such item");
      }
    }), "/missing");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        byte[] chunk = new byte[16 * 1024];
        for (int i = 0; i < MIB / chunk.length; i++) {
          res.getOutputStream().write(chunk);
          res.getOutputStream().flush();
        }
      }
    }), "/chunked");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        int n = req.getInputStream().readAllBytes().length;
        res.getOutputStream().write(("read " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }), "/echo");
    context.addServlet(new ServletHolder(text("made", 201)), "/created");
    context.addServlet(new ServletHolder(text("ok", 200)), "/health");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 4096; i++) {
          res.getOutputStream().write(chunk);
          res.getOutputStream().flush();
        }
      }
    }), "/stream");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) {
        throw new IllegalArgumentException(SECRET_MESSAGE);
      }
    }), "/bad");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        boolean open = "/open".equals(req.getPathInfo());
        res.setStatus(req.getHeader("Authorization") == null ? 401 : open ? 200 : 404);
        res.getWriter().write(open ? "open" : "no");
      }
    }), "/secure/*");
    server.setHandler(context);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    return new TestServer() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() throws Exception {
        server.stop();
      }
    };
  }

  private static HttpServlet text(String body, int status) {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setStatus(status);
        res.getWriter().write(body);
      }
    };
  }
}
