package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot.StateSetDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Wraps a client_java {@link Collector} or {@link MultiCollector} built outside this library so
 * every series it exposes carries the collector's common labels ({@code service}, and
 * {@code version} when opted in). A series that already has one of those labels keeps its own
 * value. Created by {@link MetricsRegistry#register(Collector)}.
 *
 * <pre>{@code
 * Counter jobs = collector.registry().register(
 *     Counter.builder().name("jobs_total").help("Jobs run.").labelNames("queue").build());
 * jobs.labelValues("default").inc();   // jobs_total{queue="default",service="my-service"} 1
 * }</pre>
 */
final class CommonLabelsCollector implements MultiCollector {

  private final Labels common;
  private final Collector single;
  private final MultiCollector multi;

  CommonLabelsCollector(Labels common, Collector single, MultiCollector multi) {
    this.common = common;
    this.single = single;
    this.multi = multi;
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    if (single != null) {
      MetricSnapshot s = single.collect();
      if (s != null) {
        out.metricSnapshot(relabel(s));
      }
    } else {
      for (MetricSnapshot s : multi.collect()) {
        out.metricSnapshot(relabel(s));
      }
    }
    return out.build();
  }

  private Labels labels(DataPointSnapshot point) {
    Labels own = point.getLabels();
    Labels add = Labels.EMPTY;
    for (int i = 0; i < common.size(); i++) {
      if (!own.contains(common.getName(i))) {
        add = add.add(common.getName(i), common.getValue(i));
      }
    }
    return add.isEmpty() ? own : own.merge(add);
  }

  private MetricSnapshot relabel(MetricSnapshot s) {
    if (s instanceof CounterSnapshot) {
      return new CounterSnapshot(s.getMetadata(), map(((CounterSnapshot) s).getDataPoints(),
          p -> new CounterDataPointSnapshot(p.getValue(), labels(p), p.getExemplar(), p.getCreatedTimestampMillis(),
              p.getScrapeTimestampMillis())));
    } else if (s instanceof GaugeSnapshot) {
      return new GaugeSnapshot(s.getMetadata(), map(((GaugeSnapshot) s).getDataPoints(),
          p -> new GaugeDataPointSnapshot(p.getValue(), labels(p), p.getExemplar(), p.getScrapeTimestampMillis())));
    } else if (s instanceof HistogramSnapshot) {
      HistogramSnapshot h = (HistogramSnapshot) s;
      return new HistogramSnapshot(h.isGaugeHistogram(), s.getMetadata(), map(h.getDataPoints(),
          p -> new HistogramDataPointSnapshot(p.getClassicBuckets(), p.getNativeSchema(), p.getNativeZeroCount(),
              p.getNativeZeroThreshold(), p.getNativeBucketsForPositiveValues(),
              p.getNativeBucketsForNegativeValues(), p.getSum(), labels(p), p.getExemplars(),
              p.getCreatedTimestampMillis(), p.getScrapeTimestampMillis())));
    } else if (s instanceof SummarySnapshot) {
      return new SummarySnapshot(s.getMetadata(), map(((SummarySnapshot) s).getDataPoints(),
          p -> new SummaryDataPointSnapshot(p.getCount(), p.getSum(), p.getQuantiles(), labels(p), p.getExemplars(),
              p.getCreatedTimestampMillis(), p.getScrapeTimestampMillis())));
    } else if (s instanceof InfoSnapshot) {
      return new InfoSnapshot(s.getMetadata(), map(((InfoSnapshot) s).getDataPoints(),
          p -> new InfoDataPointSnapshot(labels(p), p.getScrapeTimestampMillis())));
    } else if (s instanceof StateSetSnapshot) {
      return new StateSetSnapshot(s.getMetadata(), map(((StateSetSnapshot) s).getDataPoints(), p -> {
        String[] names = new String[p.size()];
        boolean[] values = new boolean[p.size()];
        for (int i = 0; i < p.size(); i++) {
          names[i] = p.getName(i);
          values[i] = p.isTrue(i);
        }
        return new StateSetDataPointSnapshot(names, values, labels(p), p.getScrapeTimestampMillis());
      }));
    } else if (s instanceof UnknownSnapshot) {
      return new UnknownSnapshot(s.getMetadata(), map(((UnknownSnapshot) s).getDataPoints(),
          p -> new UnknownDataPointSnapshot(p.getValue(), labels(p), p.getExemplar(), p.getScrapeTimestampMillis())));
    }
    return s; // a snapshot type this version does not know: exposed as it is
  }

  private static <P, Q> List<Q> map(List<P> points, Function<P, Q> f) {
    List<Q> out = new ArrayList<>(points.size());
    for (P p : points) {
      out.add(f.apply(p));
    }
    return out;
  }
}
