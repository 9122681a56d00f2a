package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The HTTP data points of one (method, endpoint, status code) combination, bound together so that
 * one cached lookup serves a whole {@code recordHttpRequest} call. There is no counter: the
 * duration's count is {@code http_requests_total} ({@link DurationWithRequestCount}).
 *
 * <pre>{@code
 * HttpSeries s = registry.http().series("GET", "/users/{id}", 200);
 * s.duration.observe(0.042);   // counts the request too
 * }</pre>
 */
final class HttpSeries {
  /** client_java keeps an exemplar about every 90 ms; offering one more often only costs labels. */
  static final long EXEMPLAR_INTERVAL_NANOS = 100_000_000L;

  final DistributionDataPoint duration;
  final DistributionDataPoint requestSize;
  final DistributionDataPoint responseSize;
  /** The {@code status_code} label value of this combination, as recorded. */
  final String statusCode;
  /** The status code this series is indexed under in its endpoint (the first code recorded with its label). */
  final int code;
  private volatile long nextExemplarNanos = System.nanoTime();

  HttpSeries(DistributionDataPoint duration, DistributionDataPoint requestSize, DistributionDataPoint responseSize,
      String statusCode, int code) {
    this.duration = duration;
    this.requestSize = requestSize;
    this.responseSize = responseSize;
    this.statusCode = statusCode;
    this.code = code;
  }

  /** True at most once per {@link #EXEMPLAR_INTERVAL_NANOS} for this series. */
  boolean exemplarDue() {
    long now = System.nanoTime();
    if (now - nextExemplarNanos < 0) {
      return false;
    }
    nextExemplarNanos = now + EXEMPLAR_INTERVAL_NANOS;
    return true;
  }
}
