package io.pyairtable.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * {@code active_connections} without a contended counter: every request moves a {@link LongAdder}
 * (striped, so request threads on different cores do not fight over one cache line as they do on
 * client_java's {@code Gauge}, a CAS loop on one {@code AtomicLong}), and the family's own
 * client_java {@link Gauge} is set from the adder's sum when it is scraped. The gauge stays the
 * family's metric (same name, help, common labels, series budget), it is only reached through this
 * collector, so the exposition is exactly the gauge's.
 *
 * <pre>{@code
 * InFlightGauge inFlight = InFlightGauge.replacing(gauge, prometheus);  // gauge: registered in prometheus
 * inFlight.increment();   // a request starts
 * inFlight.decrement();   // it ends; a scrape now shows the difference
 * }</pre>
 */
final class InFlightGauge implements Collector {

  private final LongAdder inFlight = new LongAdder();
  private final Gauge gauge;

  private InFlightGauge(Gauge gauge) {
    this.gauge = gauge;
  }

  /** Takes {@code gauge}'s place in {@code prometheus}: it is scraped through the returned collector. */
  static InFlightGauge replacing(Gauge gauge, PrometheusRegistry prometheus) {
    InFlightGauge replacement = new InFlightGauge(gauge);
    prometheus.unregister(gauge);
    prometheus.register(replacement);
    return replacement;
  }

  void increment() {
    inFlight.increment();
  }

  void decrement() {
    inFlight.decrement();
  }

  /** The requests in flight now. */
  long value() {
    return inFlight.sum();
  }

  private Gauge current() {
    gauge.set(inFlight.sum());
    return gauge;
  }

  @Override
  public MetricSnapshot collect() {
    return current().collect();
  }

  @Override
  public MetricSnapshot collect(PrometheusScrapeRequest scrapeRequest) {
    return current().collect(scrapeRequest);
  }

  @Override
  public MetricSnapshot collect(Predicate<String> includedNames) {
    return current().collect(includedNames);
  }

  @Override
  public MetricSnapshot collect(Predicate<String> includedNames, PrometheusScrapeRequest scrapeRequest) {
    return current().collect(includedNames, scrapeRequest);
  }

  @Override
  public MetricFamilyDescriptor getMetricFamilyDescriptor() {
    return gauge.getMetricFamilyDescriptor();
  }

  @Override
  public String getPrometheusName() {
    return gauge.getPrometheusName();
  }

  @Override
  public MetricType getMetricType() {
    return gauge.getMetricType();
  }

  @Override
  public Set<String> getLabelNames() {
    return gauge.getLabelNames();
  }

  @Override
  public MetricMetadata getMetadata() {
    return gauge.getMetadata();
  }
}
