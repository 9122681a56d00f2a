package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.internal.FailureLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the families of one service-role group ({@link MetricGroup#serviceRole()}) until the
 * service declares the role or first records into the group; then registers them all. The record
 * path pays one volatile read once the gate is open.
 *
 * <pre>{@code
 * GroupGate.open(gate);      // first record into the group: its families appear in the scrape
 * }</pre>
 */
final class GroupGate {

  private final MetricGroup group;
  private final PrometheusRegistry prometheus;
  private final FailureLog failures;
  private final List<Runnable> pending = new ArrayList<>();
  private final List<Runnable> onOpen = new ArrayList<>();
  private volatile boolean open;

  GroupGate(MetricGroup group, PrometheusRegistry prometheus, FailureLog failures, boolean open) {
    this.group = group;
    this.prometheus = prometheus;
    this.failures = failures;
    this.open = open;
  }

  /** Opens {@code gate} unless it is null (a group exposed to everyone) or open already. */
  static void open(GroupGate gate) {
    if (gate != null && !gate.open) {
      gate.openNow();
    }
  }

  MetricGroup group() {
    return group;
  }

  boolean isOpen() {
    return open;
  }

  /** Registers {@code collector} now if the gate is open, else when it opens. */
  void register(Collector collector) {
    register(collector, null);
  }

  /** Registers {@code single} or {@code multi} (the one that is not null) now if the gate is open, else when it opens. */
  synchronized void register(Collector single, MultiCollector multi) {
    Runnable registration = single != null ? () -> prometheus.register(single) : () -> prometheus.register(multi);
    if (open) {
      registration.run();
    } else {
      pending.add(registration);
    }
  }

  /** Runs {@code action} now if the gate is open, else when it opens. */
  synchronized void whenOpen(Runnable action) {
    if (open) {
      action.run();
    } else {
      onOpen.add(action);
    }
  }

  synchronized void openNow() {
    if (open) {
      return;
    }
    for (Runnable registration : pending) {
      try {
        registration.run();
      } catch (RuntimeException e) { // a name taken in a shared registry: that family stays unexposed
        failures.contain("open_service_role", e);
      }
    }
    pending.clear();
    for (Runnable r : onOpen) {
      r.run();
    }
    onOpen.clear();
    open = true;
  }
}
