package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterContract;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * The acceptance list against the Jakarta Servlet filter on embedded Tomcat 11 — a servlet
 * container that is not Jetty, on this module's test class path, which has no Javalin, Jetty or
 * Kotlin ({@code NoJavalinOnTheClassPathTest}). The chain is installed the one servlet way,
 * {@code HttpMetrics.setupMiddleware(ServletContext, ...)}, from a container initializer; the
 * routes are {@link ContractServlets}, plus a 404 servlet at {@code /} where Jetty has its own.
 * Tomcat is configured as a production one would be for Prometheus: {@code []} allowed in the
 * query ({@code ?name[]=}) and error pages without the parser's message.
 */
public class TomcatServletAdapterTest extends AdapterContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return startTomcat(options);
  }

  /** Tomcat on a free loopback port serving {@link ContractServlets} through the chain. */
  public static TestServer startTomcat(MiddlewareOptions options) throws Exception {
    Path base = Files.createTempDirectory("tomcat-adapter");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector("HTTP/1.1");
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxHttpRequestHeaderSize", String.valueOf(32 * 1024));
    connector.setProperty("relaxedQueryChars", "[]");   // client_java's ?name[]= filter
    tomcat.setConnector(connector);
    ErrorReportValve errorPages = new ErrorReportValve();  // error pages show the status only
    errorPages.setShowReport(false);
    errorPages.setShowServerInfo(false);
    tomcat.getHost().getPipeline().addValve(errorPages);
    Context context = tomcat.addContext("", base.toString());
    context.addServletContainerInitializer((classes, servletContext) ->
        HttpMetrics.setupMiddleware(servletContext, options), null);
    Map<String, HttpServlet> servlets = ContractServlets.byMapping();
    servlets.put("/", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.sendError(404);
      }
    });
    int i = 0;
    for (Map.Entry<String, HttpServlet> e : servlets.entrySet()) {
      String name = "route-" + i++;
      Tomcat.addServlet(context, name, e.getValue());
      context.addServletMappingDecoded(e.getKey(), name);
    }
    tomcat.start();
    URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    return new TestServer(uri, () -> {
      tomcat.stop();
      tomcat.destroy();
      try (Stream<Path> paths = Files.walk(base)) {   // Tomcat's work directory
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    });
  }
}
