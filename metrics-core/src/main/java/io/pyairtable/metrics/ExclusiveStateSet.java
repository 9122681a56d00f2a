package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.SeriesCache;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A state set in which exactly one state is true per series at any moment, as a circuit breaker
 * state or a backend's health. Each series holds one state index, written atomically, so a scrape
 * can never see two states set, or none (which three separate {@code setTrue/setFalse} calls on
 * client_java's {@code StateSet} could expose between calls).
 *
 * <pre>{@code
 * ExclusiveStateSet state = registry.exclusiveStateSet(MetricCatalog.CIRCUIT_BREAKER_STATE);
 * state.set("open", "airtable");   // circuit_breaker_state{circuit_name="airtable",circuit_breaker_state="open"} 1
 * }</pre>
 */
public final class ExclusiveStateSet implements Collector {

  private final MetricDefinition definition;
  private final Labels constLabels;
  private final String[] states;
  private final int initialState;
  private final Queue<Series> series = new ConcurrentLinkedQueue<>();
  private final SeriesCache<Series> cache;
  private final GroupGate gate;

  ExclusiveStateSet(MetricDefinition definition, Labels constLabels, LabelSanitizer values, int budget,
      Runnable onOverflow, GroupGate gate) {
    this.definition = definition;
    this.gate = gate;
    this.constLabels = constLabels;
    this.states = definition.states().toArray(String[]::new);
    int unknown = definition.states().indexOf("unknown");
    this.initialState = unknown >= 0 ? unknown : 0;
    String[] names = definition.labelNameArray();
    this.cache = new SeriesCache<>(names.length, budget, values, labelValues -> {
      Series s = new Series(constLabels.merge(Labels.of(names, labelValues)), initialState);
      series.add(s);
      return s;
    }, onOverflow);
  }

  /** Sets the state of the series with one label value. */
  public void set(String state, String labelValue) {
    GroupGate.open(gate);
    cache.get(labelValue).state = index(state);
  }

  /** Sets the state of the series with two label values. */
  public void set(String state, String first, String second) {
    GroupGate.open(gate);
    cache.get(first, second).state = index(state);
  }

  /** The state currently set for one label value, or the initial state if never set. */
  public String get(String labelValue) {
    return states[cache.get(labelValue).state];
  }

  /** The state currently set for two label values, or the initial state if never set. */
  public String get(String first, String second) {
    return states[cache.get(first, second).state];
  }

  /** The states this set allows, in order. */
  public List<String> states() {
    return definition.states();
  }

  private int index(String state) {
    for (int i = 0; i < states.length; i++) {
      if (states[i].equals(state)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown state '" + state + "' for " + definition.name() + ", expected one of "
        + definition.states());
  }

  @Override
  public MetricSnapshot collect() {
    StateSetSnapshot.Builder b = StateSetSnapshot.builder().name(definition.name()).help(definition.help());
    for (Series s : series) {
      int current = s.state;
      StateSetSnapshot.StateSetDataPointSnapshot.Builder point =
          StateSetSnapshot.StateSetDataPointSnapshot.builder().labels(s.labels);
      for (int i = 0; i < states.length; i++) {
        point.state(states[i], i == current);
      }
      b.dataPoint(point.build());
    }
    return b.build();
  }

  @Override
  public String getPrometheusName() {
    return definition.name();
  }

  private static final class Series {
    final Labels labels;
    volatile int state;

    Series(Labels labels, int state) {
      this.labels = labels;
      this.state = state;
    }
  }
}
