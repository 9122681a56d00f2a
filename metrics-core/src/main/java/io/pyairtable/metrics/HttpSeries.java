package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;

/**
 * The four HTTP data points of one (method, endpoint, status code) combination, bound together so
 * that one cached lookup serves a whole {@code recordHttpRequest} call.
 */
final class HttpSeries {
  final CounterDataPoint requests;
  final DistributionDataPoint duration;
  final DistributionDataPoint requestSize;
  final DistributionDataPoint responseSize;

  HttpSeries(CounterDataPoint requests, DistributionDataPoint duration, DistributionDataPoint requestSize,
      DistributionDataPoint responseSize) {
    this.requests = requests;
    this.duration = duration;
    this.requestSize = requestSize;
    this.responseSize = responseSize;
  }
}
