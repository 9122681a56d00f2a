package io.pyairtable.metrics.monitoring.rules;

import io.pyairtable.metrics.catalog.MetricCatalog;
import java.util.Objects;

/**
 * The SLOs of one service: an availability objective (share of requests not answered with a 5xx)
 * and a latency objective (share of requests completed within a threshold that must be a bucket
 * boundary of {@code http_request_duration_seconds}), over a period such as {@code 30d}.
 *
 * <pre>{@code
 * ServiceSlo slo = new ServiceSlo("api-gateway", 0.999, 0.99, 1.0, "30d");
 * }</pre>
 *
 * @param service the {@code service} label value
 * @param availabilityObjective for example 0.999
 * @param latencyObjective for example 0.99
 * @param latencyThresholdSeconds a bucket boundary of the request duration histogram
 * @param period the SLO period as a Prometheus duration in days or hours ({@code 30d}, {@code 28d}, {@code 720h})
 */
public record ServiceSlo(
    String service,
    double availabilityObjective,
    double latencyObjective,
    double latencyThresholdSeconds,
    String period) {

  public ServiceSlo {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(period, "period");
    requireObjective(availabilityObjective, "availabilityObjective");
    requireObjective(latencyObjective, "latencyObjective");
    if (!MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.buckets().contains(latencyThresholdSeconds)) {
      throw new IllegalArgumentException("latency threshold " + latencyThresholdSeconds + " s of " + service
          + " is not a bucket boundary of " + MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.name() + " "
          + MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.buckets()
          + "; the share of requests under it could not be computed exactly");
    }
    if (!period.matches("[1-9][0-9]*[dh]")) {
      throw new IllegalArgumentException("period must be a number of days or hours such as 30d: " + period);
    }
  }

  /** The period in hours (30d is 720). */
  public long periodHours() {
    long n = Long.parseLong(period.substring(0, period.length() - 1));
    return period.endsWith("d") ? n * 24 : n;
  }

  private static void requireObjective(double objective, String name) {
    if (!(objective > 0 && objective < 1)) {
      throw new IllegalArgumentException(name + " must be strictly between 0 and 1: " + objective);
    }
  }
}
