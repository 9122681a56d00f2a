package io.pyairtable.metrics;

import io.pyairtable.metrics.internal.FailureLog;

/**
 * The base of the per-domain recorders ({@link InfrastructureMetrics}, {@link AirtableGatewayMetrics},
 * {@link McpServerMetrics}, {@link LlmOrchestratorMetrics}, {@link ApiGatewayMetrics}): what they
 * share is the registry, the on/off switch and failure containment. (Not to be confused with
 * {@link io.pyairtable.metrics.catalog.MetricGroup}, the catalogue's grouping of families.)
 *
 * <pre>{@code
 * final class CacheMetrics extends DomainRecorder {
 *   CacheMetrics(MetricsRegistry r, boolean on, FailureLog f) { super(r, on, f); }
 * }
 * }</pre>
 */
abstract class DomainRecorder {
  final MetricsRegistry registry;
  final boolean enabled;
  final FailureLog failures;

  DomainRecorder(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    this.registry = registry;
    this.enabled = enabled;
    this.failures = failures;
  }

  static String outcome(boolean success) {
    return success ? "success" : "failure";
  }
}
