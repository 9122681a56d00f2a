package io.pyairtable.metrics.monitoring.promql;

import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PromQL instant-vector selector for one series name of a catalogue family. It refuses label
 * names the family does not carry, so a label renamed in the catalogue breaks generation instead
 * of silently producing an empty panel.
 *
 * <pre>{@code
 * String s = Selector.of(MetricCatalog.HTTP_REQUESTS_TOTAL)
 *     .and(Matcher.regex("status_code", "5..")).toString();
 * // http_requests_total{status_code=~"5.."}
 * }</pre>
 */
public final class Selector {

  /** Labels every scraped series may carry besides its family's own: the common and target labels. */
  public static final Set<String> COMMON_LABELS = Set.of("service", "version", "job", "instance");

  private final String series;
  private final Set<String> allowedLabels;
  private final List<Matcher> matchers;

  private Selector(String series, Set<String> allowedLabels, List<Matcher> matchers) {
    this.series = series;
    this.allowedLabels = allowedLabels;
    this.matchers = List.copyOf(matchers);
    for (Matcher m : matchers) {
      if (!allowedLabels.isEmpty() && !allowedLabels.contains(m.label())) {
        throw new IllegalArgumentException(series + " has no label " + m.label() + "; it has " + allowedLabels);
      }
    }
  }

  /** The family's main series: the counter, gauge, info or state-set name. */
  public static Selector of(MetricDefinition family) {
    if (family.type() == MetricType.HISTOGRAM) {
      throw new IllegalArgumentException(family.name() + " is a histogram: select bucket(), count() or sum()");
    }
    return new Selector(family.name(), labelsOf(family, false), List.of());
  }

  /** The {@code _bucket} series of a histogram family ({@code le} allowed). */
  public static Selector bucket(MetricDefinition histogram) {
    return new Selector(histogram.bucket(), labelsOf(histogram, true), List.of());
  }

  /** The {@code _count} series of a histogram family. */
  public static Selector count(MetricDefinition histogram) {
    return new Selector(histogram.count(), labelsOf(histogram, false), List.of());
  }

  /** The {@code _sum} series of a histogram family. */
  public static Selector sum(MetricDefinition histogram) {
    return new Selector(histogram.sum(), labelsOf(histogram, false), List.of());
  }

  /**
   * A series that is not a catalogue family (Prometheus' own {@code up}, a recording rule); any
   * label is accepted.
   */
  public static Selector series(String name) {
    return new Selector(name, Set.of(), List.of());
  }

  /** This selector with more matchers. */
  public Selector and(Matcher... more) {
    return and(List.of(more));
  }

  /** This selector with more matchers. */
  public Selector and(List<Matcher> more) {
    List<Matcher> all = new ArrayList<>(matchers);
    all.addAll(more);
    return new Selector(series, allowedLabels, all);
  }

  /** The series name selected. */
  public String seriesName() {
    return series;
  }

  /** This selector over a range, for {@code rate}, {@code increase} or {@code *_over_time}. */
  public String range(String range) {
    return this + "[" + range + "]";
  }

  @Override
  public String toString() {
    if (matchers.isEmpty()) {
      return series;
    }
    return series + matchers.stream().map(Matcher::toString).collect(Collectors.joining(", ", "{", "}"));
  }

  private static Set<String> labelsOf(MetricDefinition family, boolean withLe) {
    Set<String> labels = new LinkedHashSet<>(COMMON_LABELS);
    labels.addAll(family.labelNames());
    if (family.type() == MetricType.STATESET) {
      labels.add(family.name());
    }
    if (withLe) {
      labels.add("le");
    }
    return labels;
  }
}
