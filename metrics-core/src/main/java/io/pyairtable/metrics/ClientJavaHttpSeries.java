package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * An HTTP series kept in client_java histogram data points: what {@link ClientJavaHttpStorage}
 * binds when native histograms are configured (this project's cells keep classic buckets only).
 * The sizes are observed first, then the duration, whose count is {@code http_requests_total}.
 *
 * <pre>{@code
 * HttpSeries s = new ClientJavaHttpSeries(duration.labelValues("GET", "/a", "200"),
 *     requestSize.labelValues("GET", "/a"), responseSize.labelValues("GET", "/a", "200"), "200", 200);
 * s.observe(0.042, 120, 2048, "req-1");
 * }</pre>
 */
final class ClientJavaHttpSeries extends HttpSeries {

  private final DistributionDataPoint duration;
  private final DistributionDataPoint requestSize;
  private final DistributionDataPoint responseSize;

  ClientJavaHttpSeries(DistributionDataPoint duration, DistributionDataPoint requestSize,
      DistributionDataPoint responseSize, String statusCode, int code) {
    super(statusCode, code);
    this.duration = duration;
    this.requestSize = requestSize;
    this.responseSize = responseSize;
  }

  @Override
  void observe(double seconds, long requestBytes, long responseBytes, String exemplarId) {
    if (requestBytes >= 0) {
      requestSize.observe(requestBytes);
    }
    if (responseBytes >= 0) {
      responseSize.observe(responseBytes);
    }
    if (exemplarId != null) {
      duration.observeWithExemplar(seconds, Labels.of(HttpStorage.EXEMPLAR_LABEL, exemplarId));
    } else {
      duration.observe(seconds);
    }
  }
}
