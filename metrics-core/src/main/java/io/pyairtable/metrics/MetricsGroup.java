package io.pyairtable.metrics;

import io.pyairtable.metrics.internal.FailureLog;

/** What every group of record methods shares: the registry, the on/off switch and containment. */
abstract class MetricsGroup {
  final MetricsRegistry registry;
  final boolean enabled;
  final FailureLog failures;

  MetricsGroup(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    this.registry = registry;
    this.enabled = enabled;
    this.failures = failures;
  }

  static String outcome(boolean success) {
    return success ? "success" : "failure";
  }
}
