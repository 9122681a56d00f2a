package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterContract;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The acceptance list against the Jakarta Servlet filter on plain Jetty, installed through the
 * servlet API ({@code HttpMetrics.setupMiddleware(ServletContext, ...)}); the routes are
 * {@link ContractServlets}.
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
    HttpMetrics.setupMiddleware(context.getServletContext(), options);
    ContractServlets.byMapping().forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
    server.setHandler(context);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    return new TestServer(base, server::stop);
  }
}
