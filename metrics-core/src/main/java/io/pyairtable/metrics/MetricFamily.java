package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.internal.SeriesCache;

/**
 * A labelled metric family with a series budget: {@code labels(...)} returns the client_java data
 * point for those label values, bound once and cached, so repeated calls allocate nothing. Past
 * the budget, new combinations share one overflow series and are counted in
 * {@code metrics_cardinality_overflow_total}. Created by {@link MetricsRegistry}.
 *
 * <pre>{@code
 * MetricFamily<CounterDataPoint> syncs =
 *     collector.registry().createCounter("data_syncs_total", "Data syncs.", "source", "status");
 * syncs.labels("airtable", "success").inc();
 * }</pre>
 *
 * @param <D> the client_java data point type ({@code CounterDataPoint}, {@code GaugeDataPoint},
 *     {@code DistributionDataPoint}, {@code StateSetDataPoint})
 */
public final class MetricFamily<D extends DataPoint> {

  private final MetricDefinition definition;
  private final StatefulMetric<D, ?> metric;
  private final SeriesCache<D> series;
  private final GroupGate gate;

  MetricFamily(MetricDefinition definition, StatefulMetric<D, ?> metric, SeriesCache<D> series, GroupGate gate) {
    this.definition = definition;
    this.metric = metric;
    this.series = series;
    this.gate = gate;
  }

  /** The definition this family was built from. */
  public MetricDefinition definition() {
    return definition;
  }

  /** The underlying client_java metric (for what this wrapper does not offer). */
  public StatefulMetric<D, ?> metric() {
    return metric;
  }

  // A family of a service-role group (MetricGroup.serviceRole) is registered on its first labels() call.

  /** The data point of a family without labels. */
  public D labels() {
    GroupGate.open(gate);
    return series.arity() == 0 ? series.get() : series.getAll();
  }

  /** The data point for one label value. */
  public D labels(String a) {
    GroupGate.open(gate);
    return series.arity() == 1 ? series.get(a) : series.getAll(a);
  }

  /** The data point for two label values. */
  public D labels(String a, String b) {
    GroupGate.open(gate);
    return series.arity() == 2 ? series.get(a, b) : series.getAll(a, b);
  }

  /** The data point for three label values. */
  public D labels(String a, String b, String c) {
    GroupGate.open(gate);
    return series.arity() == 3 ? series.get(a, b, c) : series.getAll(a, b, c);
  }

  /** The data point for four label values. */
  public D labels(String a, String b, String c, String d) {
    GroupGate.open(gate);
    return series.arity() == 4 ? series.get(a, b, c, d) : series.getAll(a, b, c, d);
  }

  /** The data point for any number of label values. */
  public D labels(String... values) {
    GroupGate.open(gate);
    return series.getAll(values);
  }

  /** Distinct label combinations bound so far, the overflow series not included. */
  public int seriesCount() {
    return series.size();
  }

  /** The most distinct combinations kept before new ones fold into the overflow series. */
  public int seriesBudget() {
    return series.budget();
  }
}
