package io.pyairtable.metrics;

import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The HTTP series in client_java histograms, for the configuration with native histograms
 * ({@code MetricsConfig.nativeHistograms()}), which this project's cells do not keep: the three
 * histograms are registered as client_java metrics, {@code http_requests_total} derived from the
 * duration's count ({@link DurationWithRequestCount}).
 *
 * <pre>{@code
 * HttpStorage storage = new ClientJavaHttpStorage(duration, requestSize, responseSize);
 * HttpSeries s = storage.bind("GET", "/users/{id}", "200", 200);
 * }</pre>
 */
final class ClientJavaHttpStorage implements HttpStorage {

  private final Histogram duration;
  private final Histogram requestSize;
  private final Histogram responseSize;

  ClientJavaHttpStorage(Histogram duration, Histogram requestSize, Histogram responseSize) {
    this.duration = duration;
    this.requestSize = requestSize;
    this.responseSize = responseSize;
  }

  @Override
  public HttpSeries bind(String method, String endpoint, String statusCode, int code) {
    return new ClientJavaHttpSeries(duration.labelValues(method, endpoint, statusCode),
        requestSize.labelValues(method, endpoint), responseSize.labelValues(method, endpoint, statusCode),
        statusCode, code);
  }
}
