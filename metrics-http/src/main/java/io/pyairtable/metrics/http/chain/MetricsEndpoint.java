package io.pyairtable.metrics.http.chain;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The metrics endpoint behind every adapter: checks the optional bearer or basic credentials,
 * then lets client_java's {@link PrometheusScrapeHandler} answer (Prometheus text, OpenMetrics or
 * protobuf by {@code Accept}, gzip by {@code Accept-Encoding}, the {@code name[]} filter), and
 * times each scrape in {@code metrics_scrape_duration_seconds}.
 *
 * <pre>{@code
 * MetricsEndpoint endpoint = new MetricsEndpoint(collector, MetricsAuth.bearer(token));
 * endpoint.handle(new HttpExchangeAdapter(request, response), request.getHeader("Authorization"));
 * }</pre>
 */
public final class MetricsEndpoint {

  private final MetricsCollector collector;
  private final MetricsAuth auth;
  private final PrometheusScrapeHandler handler;
  private final DistributionDataPoint scrapeDuration;

  public MetricsEndpoint(MetricsCollector collector, MetricsAuth auth) {
    this.collector = collector;
    this.auth = auth;
    PrometheusRegistry registry = collector.enabled() ? collector.prometheusRegistry() : new PrometheusRegistry();
    this.handler = new PrometheusScrapeHandler(registry);
    this.scrapeDuration = collector.registry().<DistributionDataPoint>family(
        MetricCatalog.METRICS_SCRAPE_DURATION_SECONDS).labels();
  }

  /** The collector scraped. */
  public MetricsCollector collector() {
    return collector;
  }

  private static final String OPTIONS = "OPTIONS";

  /**
   * Answers one scrape. Credentials are checked first, whatever the method: a request without
   * them gets 401 for GET, HEAD, OPTIONS or anything else. With them, GET and HEAD scrape,
   * OPTIONS gets 204 and other methods 405, both with {@code Allow: GET, HEAD}. Closes the exchange.
   */
  public void handle(PrometheusHttpExchange exchange, String authorization) throws IOException {
    if (!auth.permits(authorization)) {
      try {
        exchange.getResponse().setHeader("WWW-Authenticate", auth.challenge());
        exchange.getResponse().setHeader("Content-Type", "text/plain; charset=utf-8");
        byte[] body = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponse().sendHeadersAndGetBody(401, body.length).write(body);
      } finally {
        exchange.close();
      }
      return;
    }
    String method = exchange.getRequest().getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      try {
        exchange.getResponse().setHeader("Allow", "GET, HEAD");
        exchange.getResponse().sendHeadersAndGetBody(OPTIONS.equals(method) ? 204 : 405, -1);
      } finally {
        exchange.close();
      }
      return;
    }
    long start = System.nanoTime();
    try {
      handler.handleRequest(exchange);
    } finally {
      try {
        scrapeDuration.observe((System.nanoTime() - start) / 1e9);
      } catch (RuntimeException e) {
        collector.containFailure("metrics_scrape_duration", e);
      }
    }
  }
}
