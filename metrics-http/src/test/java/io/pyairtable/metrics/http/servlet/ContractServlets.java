package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application the adapter contracts drive, as servlets by mapping, for any servlet container
 * (Tomcat here, Jetty in pyairtable-metrics-http-javalin's tests). Exact mappings name their
 * template; {@code /items/*} and {@code /secure/*} are labelled by the normalizer.
 *
 * <pre>{@code
 * ContractServlets.byMapping().forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
 * }</pre>
 */
public final class ContractServlets {

  private ContractServlets() {}

  /** What a GET servlet does. */
  @FunctionalInterface
  private interface GetHandler {
    void handle(HttpServletRequest req, HttpServletResponse res) throws IOException;
  }

  /** Mapping to servlet, in registration order. */
  public static Map<String, HttpServlet> byMapping() {
    Map<String, HttpServlet> servlets = new LinkedHashMap<>();
    servlets.put("/hello", text("hello", 200));
    servlets.put("/items/*", get((req, res) -> res.getWriter().write("item " + req.getPathInfo().substring(1))));
    servlets.put("/boom", get((req, res) -> {
      throw new IllegalStateException(AdapterHarness.SECRET_MESSAGE);
    }));
    servlets.put("/missing", get((req, res) -> {
      throw HttpStatusException.notFound("no such item");
    }));
    servlets.put("/chunked", streaming(16 * 1024, AdapterHarness.MIB / (16 * 1024)));
    servlets.put("/echo", new HttpServlet() {
      @Override
      protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        int n = req.getInputStream().readAllBytes().length;
        res.getOutputStream().write(("read " + n).getBytes(StandardCharsets.UTF_8));
      }
    });
    servlets.put("/created", text("made", 201));
    servlets.put("/health", text("ok", 200));
    servlets.put("/stream", streaming(64 * 1024, 4096));
    servlets.put("/bad", get((req, res) -> {
      throw new IllegalArgumentException(AdapterHarness.SECRET_MESSAGE);
    }));
    servlets.put("/secure/*", get((req, res) -> {
      boolean open = "/open".equals(req.getPathInfo());
      res.setStatus(req.getHeader("Authorization") == null ? 401 : open ? 200 : 404);
      res.getWriter().write(open ? "open" : "no");
    }));
    return servlets;
  }

  /** A servlet answering GET with {@code handler}. */
  private static HttpServlet get(GetHandler handler) {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        handler.handle(req, res);
      }
    };
  }

  private static HttpServlet text(String body, int status) {
    return get((req, res) -> {
      res.setStatus(status);
      res.getWriter().write(body);
    });
  }

  /** {@code chunks} writes of {@code size} zero bytes, each flushed (no Content-Length). */
  private static HttpServlet streaming(int size, int chunks) {
    return get((req, res) -> {
      byte[] chunk = new byte[size];
      for (int i = 0; i < chunks; i++) {
        res.getOutputStream().write(chunk);
        res.getOutputStream().flush();
      }
    });
  }
}
