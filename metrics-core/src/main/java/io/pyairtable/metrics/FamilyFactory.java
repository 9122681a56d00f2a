package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.MetricWithFixedMetadata;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.MetricType;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.MetricNames;
import io.pyairtable.metrics.internal.SeriesCache;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * How {@link MetricsRegistry} turns a definition into client_java metrics: builds the metric
 * (common labels, configured buckets, exemplars as the definition says, native histograms when
 * configured), exposes it now or when its service role opens, and wraps it in a
 * {@link MetricFamily} with its series budget and overflow counting. The registry's half that
 * talks to client_java's builders; the registry keeps the public API and the families by name.
 *
 * <pre>{@code
 * FamilyFactory factory = new FamilyFactory(config, prometheus, constLabels, sanitizer, gates);
 * MetricFamily<?> errors = factory.family(MetricCatalog.ERRORS_TOTAL);
 * }</pre>
 */
final class FamilyFactory {

  private final MetricsConfig config;
  private final PrometheusRegistry prometheus;
  private final Labels constLabels;
  private final LabelSanitizer labelSanitizer;
  private final Map<MetricGroup, GroupGate> gates;
  private final Counter overflowCounter;

  /** {@code gates} may still be filled after this: it is read on every registration. */
  FamilyFactory(MetricsConfig config, PrometheusRegistry prometheus, Labels constLabels, LabelSanitizer labelSanitizer,
      Map<MetricGroup, GroupGate> gates) {
    this.config = config;
    this.prometheus = prometheus;
    this.constLabels = constLabels;
    this.labelSanitizer = labelSanitizer;
    this.gates = gates;
    this.overflowCounter = register(MetricCatalog.METRICS_CARDINALITY_OVERFLOW_TOTAL,
        Counter.builder().withoutExemplars());
  }

  /** The overflow counter of one family (what its folded records are counted in). */
  CounterDataPoint overflowCounter(String family) {
    return overflowCounter.labelValues(family);
  }

  /** A new family of {@code d}: its client_java metric, registered, with the series budget of its name. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  MetricFamily<?> family(MetricDefinition d) {
    return newFamily(d, (StatefulMetric) metric(d));
  }

  private <D extends DataPoint> MetricFamily<D> newFamily(MetricDefinition d, StatefulMetric<D, ?> metric) {
    @SuppressWarnings("unchecked")
    Function<String[], D> bind = d.labelNames().isEmpty() ? values -> (D) metric : metric::labelValues;
    // Bound at 0 up front for labelled families, so increase() sees the first overflow.
    Runnable onOverflow = d.labelNames().isEmpty() ? () -> { } : overflow(d.name(), gates.get(d.group()));
    SeriesCache<D> cache = new SeriesCache<>(d.labelNames().size(), config.seriesBudget(d.name()), labelSanitizer,
        bind, onOverflow);
    return new MetricFamily<>(d, metric, cache, gates.get(d.group()));
  }

  /** What a family's overflow counts in; bound at 0 when the family is exposed (a role group: when it opens). */
  Runnable overflow(String family, GroupGate gate) {
    if (gate == null) {
      return overflowCounter.labelValues(family)::inc;
    }
    gate.whenOpen(() -> overflowCounter.labelValues(family));
    return () -> overflowCounter.labelValues(family).inc();
  }

  /**
   * Builds the client_java metric of {@code d} and registers it with the common labels (when its
   * service role opens, for a role group). client_java checks the label names it knows about
   * ({@code __} prefixes, {@code le}, {@code quantile}, the common labels); its refusal comes back
   * naming the definition. Checked here only what it does not check.
   */
  @SuppressWarnings("unchecked")
  <M extends StatefulMetric<?, ?>> M metric(MetricDefinition d) {
    MetricNames.checkLabelNames(d.name(), d.labelNames(),
        d.type() == MetricType.STATESET ? Set.of("job", "instance", d.name()) : Set.of("job", "instance"));
    return (M) switch (d.type()) {
      case COUNTER -> register(d, d.exemplars() ? Counter.builder() : Counter.builder().withoutExemplars());
      case GAUGE -> register(d, d.exemplars() ? Gauge.builder() : Gauge.builder().withoutExemplars());
      case HISTOGRAM -> register(d, histogramBuilder(d));
      case SUMMARY -> register(d, (d.exemplars() ? Summary.builder() : Summary.builder().withoutExemplars())
          .quantile(0.5, 0.01).quantile(0.9, 0.01).quantile(0.99, 0.001));
      case STATESET -> register(d, StateSet.builder().states(d.states().toArray(String[]::new)));
      case INFO -> throw new IllegalArgumentException("info families are not labelled families: " + d.name());
    };
  }

  private Histogram.Builder histogramBuilder(MetricDefinition d) {
    Histogram.Builder b = Histogram.builder();
    if (!d.exemplars()) {
      b.withoutExemplars();
    }
    b.classicUpperBounds(config.buckets(d.name()).orElseGet(d::bucketArray));
    if (!config.nativeHistograms()) {
      b.classicOnly();
    }
    return b;
  }

  /**
   * Registers {@code d} (checked by the caller: a gauge without labels of its own) as a client_java
   * {@link GaugeWithCallback} read from {@code value} at every scrape (common labels, exposed when
   * its service role opens, as every family).
   */
  GaugeWithCallback callbackGauge(MetricDefinition d, DoubleSupplier value) {
    GaugeWithCallback gauge = build(d, GaugeWithCallback.builder().callback(cb -> cb.call(value.getAsDouble())));
    expose(d, gauge, null);
    return gauge;
  }

  /** Registers a client_java metric built from {@code d} with the common labels. */
  <M extends MetricWithFixedMetadata> M register(MetricDefinition d, MetricWithFixedMetadata.Builder<?, ?> builder) {
    M metric = build(d, builder);
    expose(d, metric, null);
    return metric;
  }

  /** Builds, without registering, a client_java metric from {@code d} with the common labels. */
  @SuppressWarnings("unchecked")
  private <M extends MetricWithFixedMetadata> M build(MetricDefinition d, MetricWithFixedMetadata.Builder<?, ?> builder) {
    try {
      builder.name(d.baseName()).help(d.help()).labelNames(d.labelNameArray()).constLabels(constLabels);
      return (M) builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("cannot register " + d + ": " + e.getMessage(), e);
    }
  }

  /**
   * Builds, without registering, the client_java histogram of {@code d} (common labels, configured
   * buckets, exemplars as the definition says), for a collector that exposes it itself.
   */
  Histogram unregisteredHistogram(MetricDefinition d) {
    MetricNames.checkLabelNames(d.name(), d.labelNames(), Set.of("job", "instance"));
    return build(d, histogramBuilder(d));
  }

  /** Exposes {@code collector} for the families of {@code d}'s group: now, or when its service role opens. */
  void expose(MetricDefinition d, MultiCollector collector) {
    expose(d, null, collector);
  }

  private void expose(MetricDefinition d, Collector single, MultiCollector multi) {
    try {
      GroupGate gate = gates.get(d.group());
      if (gate != null) {
        gate.register(single, multi);
      } else if (single != null) {
        prometheus.register(single);
      } else {
        prometheus.register(multi);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("cannot register " + d + ": " + e.getMessage(), e);
    }
  }
}
