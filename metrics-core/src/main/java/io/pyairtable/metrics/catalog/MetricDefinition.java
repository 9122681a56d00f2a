package io.pyairtable.metrics.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One metric family of the contract: its exposed name, type, help, label names, default buckets,
 * for state sets its states, and whether its records carry exemplars. Definitions live in {@link MetricCatalog}; everything else
 * (collector, dashboards, alert rules, docs, tests) refers to them instead of repeating names.
 *
 * <pre>{@code
 * String q = "sum by (service) (rate(" + MetricCatalog.HTTP_REQUESTS_TOTAL.name() + "[5m]))";
 * }</pre>
 *
 * @param name the name as exposed in the Prometheus text format ({@code _total} included for
 *     counters; histograms without {@code _bucket})
 * @param type the Prometheus type
 * @param group the part of the system the family belongs to
 * @param help the help text
 * @param labelNames label names, without the common labels ({@code service}, optional {@code version})
 * @param buckets default classic histogram upper bounds (empty for other types)
 * @param states the states of a state set (empty for other types)
 * @param unit a Grafana unit id for panels showing this family (for example {@code s}, {@code bytes})
 * @param exemplars true when records of this family offer an exemplar (the request's correlation
 *     id); the registry builds the client_java metric with exemplar sampling only then
 */
public record MetricDefinition(
    String name,
    MetricType type,
    MetricGroup group,
    String help,
    List<String> labelNames,
    List<Double> buckets,
    List<String> states,
    String unit,
    boolean exemplars) {

  public MetricDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(help, "help");
    labelNames = List.copyOf(labelNames);
    buckets = List.copyOf(buckets);
    states = List.copyOf(states);
    Objects.requireNonNull(unit, "unit");
    if (type == MetricType.COUNTER && !name.endsWith("_total")) {
      throw new IllegalArgumentException("counter " + name + " must end with _total");
    }
  }

  /** A definition without exemplars. */
  public MetricDefinition(String name, MetricType type, MetricGroup group, String help, List<String> labelNames,
      List<Double> buckets, List<String> states, String unit) {
    this(name, type, group, help, labelNames, buckets, states, unit, false);
  }

  /** The same definition with exemplars on. */
  public MetricDefinition withExemplars() {
    return new MetricDefinition(name, type, group, help, labelNames, buckets, states, unit, true);
  }

  /** The name client_java is given: counters lose {@code _total}, info families lose {@code _info}. */
  public String baseName() {
    if (type == MetricType.COUNTER) {
      return name.substring(0, name.length() - "_total".length());
    }
    if (type == MetricType.INFO && name.endsWith("_info")) {
      return name.substring(0, name.length() - "_info".length());
    }
    return name;
  }

  /** The bucket upper bounds as an array, for client_java's builder. */
  public double[] bucketArray() {
    return buckets.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The labels a series of this family carries besides the common ones, as an array. */
  public String[] labelNameArray() {
    return labelNames.toArray(String[]::new);
  }

  /** The series name for a histogram part ({@code _bucket}, {@code _sum}, {@code _count}). */
  public String histogramSeries(String suffix) {
    if (type != MetricType.HISTOGRAM) {
      throw new IllegalStateException(name + " is a " + type + ", not a histogram");
    }
    return name + suffix;
  }

  /** {@code name_bucket}; fails for a family that is not a histogram. */
  public String bucket() {
    return histogramSeries("_bucket");
  }

  /** {@code name_count}; fails for a family that is not a histogram. */
  public String count() {
    return histogramSeries("_count");
  }

  /** {@code name_sum}; fails for a family that is not a histogram. */
  public String sum() {
    return histogramSeries("_sum");
  }

  @Override
  public String toString() {
    return type.name().toLowerCase() + " " + name + labelNames + (buckets.isEmpty() ? "" : " buckets " + buckets)
        + (states.isEmpty() ? "" : " states " + states);
  }

  static MetricDefinition of(
      String name, MetricType type, MetricGroup group, String unit, String help, String[] labels, double[] buckets,
      String... states) {
    return new MetricDefinition(
        name,
        type,
        group,
        help,
        Arrays.asList(labels),
        Arrays.stream(buckets).boxed().toList(),
        Arrays.asList(states),
        unit);
  }
}
