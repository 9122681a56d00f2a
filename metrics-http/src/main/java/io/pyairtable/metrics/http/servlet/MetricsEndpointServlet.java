package io.pyairtable.metrics.http.servlet;

import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The metrics endpoint as a servlet, through client_java's exporter (text, OpenMetrics, protobuf,
 * gzip, {@code name[]}), with the optional credentials check and the scrape-duration histogram.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new MetricsEndpointServlet(
 *     new MetricsEndpoint(collector, MetricsAuth.none()))), "/metrics");
 * }</pre>
 */
public final class MetricsEndpointServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient MetricsEndpoint endpoint;

  public MetricsEndpointServlet(MetricsEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Every method goes to the endpoint, which checks the credentials first (OPTIONS and HEAD included). */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    endpoint.handle(new HttpExchangeAdapter(request, response), request.getHeader("Authorization"));
  }
}
