package io.pyairtable.metrics.monitoring.promql;

import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds the PromQL the dashboards and rules use, from catalogue families only, the right way:
 * counters always under {@code rate}, ratios aggregated before dividing, quantiles computed from
 * buckets summed {@code by (le, ...)}. A scope adds matchers to every selector (a dashboard's
 * {@code $service}/{@code $instance} variables, or one SLO's service) and a range is used for
 * every {@code rate}.
 *
 * <pre>{@code
 * Promql q = Promql.over("5m");
 * String errorRatio = q.ratio(List.of("service"),
 *     q.sumRate(List.of("service"), MetricCatalog.HTTP_REQUESTS_TOTAL, Matcher.regex("status_code", "5..")),
 *     q.sumRate(List.of("service"), MetricCatalog.HTTP_REQUESTS_TOTAL));
 * }</pre>
 */
public final class Promql {

  /** Grafana's range variable, the only range a dashboard query uses. */
  public static final String GRAFANA_RATE_INTERVAL = "$__rate_interval";

  private final String range;
  private final List<Matcher> scope;

  private Promql(String range, List<Matcher> scope) {
    this.range = range;
    this.scope = List.copyOf(scope);
  }

  /** Queries over {@code range} without a scope. */
  public static Promql over(String range) {
    return new Promql(range, List.of());
  }

  /**
   * The dashboard flavour: range {@code $__rate_interval}, every selector scoped by
   * {@code service=~"$service", instance=~"$instance"}.
   */
  public static Promql dashboard() {
    return new Promql(GRAFANA_RATE_INTERVAL,
        List.of(Matcher.regex("service", "$service"), Matcher.regex("instance", "$instance")));
  }

  /** The same queries over another range. */
  public Promql withRange(String newRange) {
    return new Promql(newRange, scope);
  }

  /** The same queries with one more matcher on every selector. */
  public Promql scopedBy(Matcher matcher) {
    List<Matcher> s = new ArrayList<>(scope);
    s.add(matcher);
    return new Promql(range, s);
  }

  /** The range every {@code rate} uses. */
  public String range() {
    return range;
  }

  /** The family's main series with the scope and {@code extra} matchers. */
  public Selector select(MetricDefinition family, Matcher... extra) {
    return Selector.of(family).and(scope).and(extra);
  }

  /** {@code rate(counter{scope, extra}[range])}; refuses a family that is not a counter. */
  public String rate(MetricDefinition counter, Matcher... extra) {
    requireType(counter, MetricType.COUNTER);
    return "rate(" + select(counter, extra).range(range) + ")";
  }

  /** {@code increase(counter{scope, extra}[range])}; refuses a family that is not a counter. */
  public String increase(MetricDefinition counter, Matcher... extra) {
    requireType(counter, MetricType.COUNTER);
    return "increase(" + select(counter, extra).range(range) + ")";
  }

  /** {@code sum by (by) (rate(counter...))}, or {@code sum(...)} when {@code by} is empty. */
  public String sumRate(List<String> by, MetricDefinition counter, Matcher... extra) {
    return sum(by, rate(counter, extra));
  }

  /** {@code sum by (by) (rate(histogram_count...))}: observations per second. */
  public String sumCountRate(List<String> by, MetricDefinition histogram, Matcher... extra) {
    requireType(histogram, MetricType.HISTOGRAM);
    return sum(by, "rate(" + Selector.count(histogram).and(scope).and(extra).range(range) + ")");
  }

  /** {@code sum by (by) (rate(histogram_bucket{le=...}...))}: observations per second at or under a bound. */
  public String sumBucketRate(List<String> by, MetricDefinition histogram, double upperBound, Matcher... extra) {
    requireType(histogram, MetricType.HISTOGRAM);
    if (!histogram.buckets().contains(upperBound)) {
      throw new IllegalArgumentException(upperBound + " is not a bucket boundary of " + histogram.name()
          + " " + histogram.buckets());
    }
    Selector s = Selector.bucket(histogram).and(scope).and(extra).and(Matcher.regex("le", leRegex(upperBound)));
    return sum(by, "rate(" + s.range(range) + ")");
  }

  /**
   * {@code histogram_quantile(q, sum by (le, by) (rate(histogram_bucket...)))}: buckets are
   * aggregated before the quantile is taken.
   */
  public String quantile(double q, List<String> by, MetricDefinition histogram, Matcher... extra) {
    requireType(histogram, MetricType.HISTOGRAM);
    if (q <= 0 || q >= 1) {
      throw new IllegalArgumentException("quantile must be in (0, 1): " + q);
    }
    List<String> withLe = new ArrayList<>();
    withLe.add("le");
    withLe.addAll(by);
    String buckets = sum(withLe, "rate(" + Selector.bucket(histogram).and(scope).and(extra).range(range) + ")");
    return "histogram_quantile(" + number(q) + ", " + buckets + ")";
  }

  /** Mean of a histogram: {@code sum(rate(_sum)) / sum(rate(_count))}, each aggregated first. */
  public String mean(List<String> by, MetricDefinition histogram, Matcher... extra) {
    requireType(histogram, MetricType.HISTOGRAM);
    String sums = sum(by, "rate(" + Selector.sum(histogram).and(scope).and(extra).range(range) + ")");
    return ratio(by, sums, sumCountRate(by, histogram, extra));
  }

  /**
   * {@code (numerator) / on(by) (denominator)}: both sides must already be aggregated by the same
   * labels (use {@link #sumRate}); this never divides raw series.
   */
  public String ratio(List<String> by, String numerator, String denominator) {
    String on = by.isEmpty() ? "" : " on (" + String.join(", ", by) + ")";
    return "(" + numerator + ")\n/" + on + "\n(" + denominator + ")";
  }

  /**
   * An error ratio that is 0, not empty, while there is traffic without errors, and empty without
   * traffic: {@code ((errors) or (all) * 0) / on(by) (all)}. A plain {@code errors / all} is empty
   * whenever no error series exists yet, exactly for the healthiest services.
   */
  public String ratioOrZero(List<String> by, String numerator, String denominator) {
    String on = by.isEmpty() ? "" : " on (" + String.join(", ", by) + ")";
    return "((" + numerator + ")\nor\n(" + denominator + ") * 0)\n/" + on + "\n(" + denominator + ")";
  }

  /** {@code aggregation by (by) (gauge{scope, extra})} for a gauge, info or state-set family. */
  public String gauge(String aggregation, List<String> by, MetricDefinition gauge, Matcher... extra) {
    if (gauge.type() == MetricType.COUNTER || gauge.type() == MetricType.HISTOGRAM) {
      throw new IllegalArgumentException(gauge.name() + " is a " + gauge.type() + ", not a gauge");
    }
    return aggregate(aggregation, by, select(gauge, extra).toString());
  }

  /**
   * The active state of a state set: {@code max by (by, state) (family{scope, extra}) == 1}, one
   * series per entity showing the state it is in.
   */
  public String activeState(List<String> by, MetricDefinition stateSet, Matcher... extra) {
    requireType(stateSet, MetricType.STATESET);
    List<String> withState = new ArrayList<>(by);
    withState.add(stateSet.name());
    return aggregate("max", withState, select(stateSet, extra).toString()) + " == 1";
  }

  /** {@code sum by (by) (expr)}, or {@code sum(expr)} when {@code by} is empty. */
  public static String sum(List<String> by, String expr) {
    return aggregate("sum", by, expr);
  }

  /** {@code aggregation by (by) (expr)}, or {@code aggregation(expr)} when {@code by} is empty. */
  public static String aggregate(String aggregation, List<String> by, String expr) {
    if (by.isEmpty()) {
      return aggregation + "(" + expr + ")";
    }
    return aggregation + " by (" + String.join(", ", by) + ") (" + expr + ")";
  }

  /** Label names, for {@code by} clauses. */
  public static List<String> by(String... labels) {
    return Arrays.asList(labels);
  }

  /** A number as PromQL writes it, without a trailing {@code .0}. */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v).toLowerCase(Locale.ROOT);
  }

  /**
   * A regex matching a bucket bound however the exporter formatted it: client_java writes
   * {@code 1.0}, other clients {@code 1}; Prometheus 2.x stores the label as scraped.
   */
  public static String leRegex(double upperBound) {
    String shortest = number(upperBound);
    String javaStyle = Double.toString(upperBound);
    String re = shortest.replace(".", "\\.");
    if (!javaStyle.equals(shortest)) {
      re = re + "|" + javaStyle.replace(".", "\\.");
    }
    return re;
  }

  private static void requireType(MetricDefinition family, MetricType type) {
    if (family.type() != type) {
      throw new IllegalArgumentException(family.name() + " is a " + family.type() + ", not a " + type);
    }
  }
}
