package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import java.io.IOException;

/**
 * The metrics endpoint as a JDK {@code HttpHandler}, through client_java's exporter, with the
 * optional credentials check and the scrape-duration histogram.
 *
 * <pre>{@code
 * server.createContext("/metrics", new MetricsHttpHandler(new MetricsEndpoint(collector, MetricsAuth.none())));
 * }</pre>
 */
public final class MetricsHttpHandler implements HttpHandler {

  private final MetricsEndpoint endpoint;

  public MetricsHttpHandler(MetricsEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    endpoint.handle(new HttpExchangeAdapter(exchange), exchange.getRequestHeaders().getFirst("Authorization"));
  }
}
