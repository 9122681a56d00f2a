package io.pyairtable.metrics.catalog;

/**
 * The Prometheus type of a metric family, as it appears on the {@code # TYPE} line.
 *
 * <pre>{@code
 * if (definition.type() == MetricType.COUNTER) { ... rate(...) ... }
 * }</pre>
 */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  SUMMARY,
  /** Exposed as a gauge named {@code *_info} with value 1 in the Prometheus text format. */
  INFO,
  /** Exposed as a gauge with one series per state, the state in a label named like the family. */
  STATESET
}
