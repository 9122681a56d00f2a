package io.pyairtable.metrics.internal;

import io.pyairtable.metrics.catalog.MetricType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rules custom metrics are checked against, with messages that say what is wrong. The
 * rules are Prometheus' classic ones (ASCII letters, digits and underscores), minus colons, which
 * are reserved for recording rules.
 *
 * <pre>{@code
 * MetricNames.checkMetricName("data_syncs_total", MetricType.COUNTER); // ok
 * MetricNames.checkMetricName("data-syncs", MetricType.COUNTER);       // IllegalArgumentException
 * }</pre>
 */
public final class MetricNames {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final List<String> RESERVED_SUFFIXES = List.of("_bucket", "_count", "_sum", "_created", "_total",
      "_info", "_gcount", "_gsum");

  private MetricNames() {}

  /** Fails with a message naming the rule {@code name} breaks for a family of {@code type}. */
  public static void checkMetricName(String name, MetricType type) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("metric name must not be empty");
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid metric name '" + name
          + "': use only ASCII letters, digits and underscores, not starting with a digit"
          + (name.contains(":") ? " (colons are reserved for recording rules)" : ""));
    }
    if (name.startsWith("__")) {
      throw new IllegalArgumentException("invalid metric name '" + name + "': names starting with __ are reserved");
    }
    for (String suffix : RESERVED_SUFFIXES) {
      boolean allowed = (suffix.equals("_total") && type == MetricType.COUNTER)
          || (suffix.equals("_info") && type == MetricType.INFO);
      if (name.endsWith(suffix) && !allowed) {
        throw new IllegalArgumentException("invalid " + type.name().toLowerCase() + " name '" + name
            + "': the suffix " + suffix + " is reserved for series Prometheus derives from a family");
      }
    }
  }

  /**
   * Fails with a message naming the rule a label name breaks, for what client_java does not check
   * itself: Prometheus' classic character set (client_java 1.10 accepts any UTF-8 name), a name
   * given twice, and {@code reserved} names. client_java refuses {@code __} prefixes, {@code le},
   * {@code quantile} and names clashing with the common labels when the metric is built.
   */
  public static void checkLabelNames(String metric, List<String> labelNames, Set<String> reserved) {
    Set<String> seen = new HashSet<>();
    for (String label : labelNames) {
      if (label == null || !NAME.matcher(label).matches()) {
        throw new IllegalArgumentException("invalid label name '" + label + "' for " + metric
            + ": use only ASCII letters, digits and underscores, not starting with a digit");
      }
      if (reserved.contains(label)) {
        throw new IllegalArgumentException("invalid label name '" + label + "' for " + metric
            + ": it is reserved here (job and instance are Prometheus' target labels; common labels; a state set's"
            + " own name)");
      }
      if (!seen.add(label)) {
        throw new IllegalArgumentException("label name '" + label + "' appears twice for " + metric);
      }
    }
  }
}
