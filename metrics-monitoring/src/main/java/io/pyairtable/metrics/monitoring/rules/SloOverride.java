package io.pyairtable.metrics.monitoring.rules;

import java.util.Objects;

/**
 * Part of a service's SLOs, as an SLO or services file gives it: every field but {@code service}
 * may be left out and then keeps the value it overrides (the default: 99.9% over 30 days, 1 s).
 *
 * <pre>{@code
 * ServiceSlo slo = new SloOverride("api-gateway", 0.995, null, null, null)
 *     .applyTo(SloConfig.defaultFor("api-gateway")); // 99.5% availability, the rest unchanged
 * }</pre>
 *
 * @param service the {@code service} label value
 * @param availabilityObjective or null
 * @param latencyObjective or null
 * @param latencyThresholdSeconds or null
 * @param period or null
 */
public record SloOverride(
    String service,
    Double availabilityObjective,
    Double latencyObjective,
    Double latencyThresholdSeconds,
    String period) {

  public SloOverride {
    Objects.requireNonNull(service, "an SLO entry needs a service");
  }

  /** {@code base} with the fields this override sets replaced (validated as a whole). */
  public ServiceSlo applyTo(ServiceSlo base) {
    return new ServiceSlo(service,
        availabilityObjective != null ? availabilityObjective : base.availabilityObjective(),
        latencyObjective != null ? latencyObjective : base.latencyObjective(),
        latencyThresholdSeconds != null ? latencyThresholdSeconds : base.latencyThresholdSeconds(),
        period != null ? period : base.period());
  }
}
