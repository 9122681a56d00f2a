package io.pyairtable.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.datapoints.StateSetDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.catalog.MetricType;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.MetricNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The metrics of one collector: a client_java {@link PrometheusRegistry} of its own, the common
 * labels, and the families built from the catalogue or created by the user, each with its series
 * budget. Creating the same definition twice returns the existing family; the same name with
 * another type, label set or buckets is an error naming both definitions.
 *
 * <pre>{@code
 * MetricsRegistry registry = collector.registry();
 * MetricFamily<CounterDataPoint> syncs =
 *     registry.createCounter("data_syncs_total", "Data syncs by source.", "source", "status");
 * syncs.labels("airtable", "success").inc();
 * Labels labels = registry.commonLabels("operation_type", "data_sync"); // service=..., operation_type=...
 * }</pre>
 */
public final class MetricsRegistry {

  private final MetricsConfig config;
  private final PrometheusRegistry prometheus;
  private final Labels constLabels;
  private final Set<String> reservedLabels;
  private final LabelSanitizer labelSanitizer;
  private final Map<String, MetricFamily<?>> families = new ConcurrentHashMap<>();
  private final Map<String, ExclusiveStateSet> stateSets = new ConcurrentHashMap<>();
  private final FamilyFactory factory;
  private final FailureLog failures;
  private final Map<MetricGroup, GroupGate> gates = new EnumMap<>(MetricGroup.class);
  private final HttpFamilies http;

  MetricsRegistry(MetricsConfig config, PrometheusRegistry prometheus) {
    this.config = config;
    this.prometheus = prometheus;
    this.constLabels = config.versionOnEverySeries()
        ? Labels.of("service", config.serviceName(), "version", config.version())
        : Labels.of("service", config.serviceName());
    Set<String> reserved = new HashSet<>();
    constLabels.forEach(l -> reserved.add(l.getName()));
    reserved.add("job");
    reserved.add("instance");
    this.reservedLabels = Set.copyOf(reserved);
    this.labelSanitizer = new LabelSanitizer(config.labelValueMaxLength());
    this.factory = new FamilyFactory(config, prometheus, constLabels, labelSanitizer, gates);
    this.failures = new FailureLog(config.serviceName(), factory.register(MetricCatalog.METRICS_INTERNAL_ERRORS_TOTAL,
        Counter.builder().withoutExemplars()));
    for (MetricGroup group : MetricGroup.values()) {
      if (group.serviceRole()) {
        gates.put(group, new GroupGate(group, prometheus, failures, config.roles().contains(group)));
      }
    }
    this.http = new HttpFamilies(HttpFamilies.storage(factory, config, constLabels),
        HttpFamilies.DEFINITIONS.stream().map(d -> factory.overflowCounter(d.name())).toArray(CounterDataPoint[]::new),
        config.seriesBudget(MetricCatalog.HTTP_REQUESTS_TOTAL.name()), labelSanitizer, failures);
  }

  /** The HTTP families and their one series table (what {@code recordHttpRequest} records into). */
  HttpFamilies http() {
    return http;
  }

  /** The client_java registry every family of this collector is registered in. */
  public PrometheusRegistry prometheusRegistry() {
    return prometheus;
  }

  /** The labels on every series of this collector ({@code service}, and {@code version} if opted in). */
  public Labels constLabels() {
    return constLabels;
  }

  /** The common labels plus {@code extra} name/value pairs, as the README's {@code get_common_labels}. */
  public Labels commonLabels(String... extraNamesAndValues) {
    if (extraNamesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("commonLabels takes name/value pairs, got an odd count: "
          + extraNamesAndValues.length);
    }
    Labels extra = extraNamesAndValues.length == 0 ? Labels.EMPTY : Labels.of(extraNamesAndValues);
    return constLabels.merge(extra);
  }

  /**
   * Declares that this service has {@code role} (a {@link MetricGroup#serviceRole()} group): its
   * families are exposed from now on, even before the first record. Recording into the group
   * declares it too. Other groups are always exposed.
   */
  public void declareRole(MetricGroup role) {
    GroupGate gate = gates.get(role);
    if (gate == null) {
      throw new IllegalArgumentException(role + " is not a service role; roles are " + MetricsConfig.ROLES);
    }
    gate.openNow();
  }

  /** The service roles declared so far (by configuration, {@link #declareRole} or a first record). */
  public Set<MetricGroup> roles() {
    Set<MetricGroup> roles = EnumSet.noneOf(MetricGroup.class);
    gates.values().stream().filter(GroupGate::isOpen).forEach(g -> roles.add(g.group()));
    return roles;
  }

  /** The gate of a service-role group, null for the groups every service exposes. */
  GroupGate gate(MetricGroup group) {
    return gates.get(group);
  }

  /**
   * Registers a metric built with client_java's own builders (or any {@code Collector}) so its
   * series carry the common labels ({@code service}, and {@code version} when opted in), and
   * returns it.
   *
   * <pre>{@code
   * Counter jobs = collector.registry().register(
   *     Counter.builder().name("jobs_total").help("Jobs run.").labelNames("queue").build());
   * }</pre>
   */
  public <C extends Collector> C register(C collector) {
    prometheus.register(new CommonLabelsCollector(constLabels, Objects.requireNonNull(collector), null));
    return collector;
  }

  /** As {@link #register(io.prometheus.metrics.model.registry.Collector)}, for a {@code MultiCollector}. */
  public <C extends MultiCollector> C register(C collector) {
    prometheus.register(new CommonLabelsCollector(constLabels, null, Objects.requireNonNull(collector)));
    return collector;
  }

  /** How label values are sanitized in this registry. */
  LabelSanitizer labelSanitizer() {
    return labelSanitizer;
  }

  /** Where contained failures of this registry's collector are counted and logged. */
  FailureLog failures() {
    return failures;
  }

  // --- custom metrics ---------------------------------------------------------------------------

  /** A counter; {@code name} may end in {@code _total} or not, it is exposed with it. */
  public MetricFamily<CounterDataPoint> createCounter(String name, String help, String... labelNames) {
    String exposed = name != null && name.endsWith("_total") ? name : name + "_total";
    MetricNames.checkMetricName(exposed, MetricType.COUNTER);
    return family(custom(exposed, MetricType.COUNTER, help, labelNames, new double[0], new String[0]));
  }

  /** A gauge. */
  public MetricFamily<GaugeDataPoint> createGauge(String name, String help, String... labelNames) {
    MetricNames.checkMetricName(name, MetricType.GAUGE);
    return family(custom(name, MetricType.GAUGE, help, labelNames, new double[0], new String[0]));
  }

  /** A histogram with the given bucket upper bounds. */
  public MetricFamily<DistributionDataPoint> createHistogram(
      String name, String help, double[] buckets, String... labelNames) {
    MetricNames.checkMetricName(name, MetricType.HISTOGRAM);
    if (buckets == null || buckets.length == 0) {
      throw new IllegalArgumentException("histogram " + name + " needs at least one bucket upper bound");
    }
    return family(custom(name, MetricType.HISTOGRAM, help, labelNames, buckets, new String[0]));
  }

  /** A summary with the 0.5, 0.9 and 0.99 quantiles over a 10-minute window. */
  public MetricFamily<DistributionDataPoint> createSummary(String name, String help, String... labelNames) {
    MetricNames.checkMetricName(name, MetricType.SUMMARY);
    return family(custom(name, MetricType.SUMMARY, help, labelNames, new double[0], new String[0]));
  }

  /** A state set: one series per state, exactly one of them set at a time by the caller. */
  public MetricFamily<StateSetDataPoint> createStateSet(
      String name, String help, String[] states, String... labelNames) {
    MetricNames.checkMetricName(name, MetricType.STATESET);
    if (states == null || states.length == 0) {
      throw new IllegalArgumentException("state set " + name + " needs at least one state");
    }
    return family(custom(name, MetricType.STATESET, help, labelNames, new double[0], states));
  }

  /**
   * The family of a catalogue definition (or any definition), created on first use. The four HTTP
   * families have none: they are recorded together through {@link MetricsCollector#recordHttpRequest}.
   */
  @SuppressWarnings("unchecked")
  public <D extends DataPoint> MetricFamily<D> family(MetricDefinition definition) {
    MetricDefinition bundled = HttpFamilies.definition(definition.name());
    if (bundled != null) {
      checkSameShape(bundled, definition);
      throw new IllegalArgumentException("metric " + definition.name()
          + " is recorded through MetricsCollector.recordHttpRequest; it has no MetricFamily");
    }
    MetricFamily<?> existing = families.get(definition.name());
    if (existing == null) {
      synchronized (this) {
        existing = families.get(definition.name());
        if (existing == null) {
          existing = factory.family(definition);
          families.put(definition.name(), existing);
        }
      }
    }
    checkSameShape(existing.definition(), definition);
    return (MetricFamily<D>) existing;
  }

  /**
   * Exposes {@code definition}, a gauge without labels of its own (a catalogue one, or any), as a
   * gauge read from {@code value} at every scrape: nothing is updated per event, the value is
   * whatever {@code value} says when Prometheus asks (a pool's size, requests in flight counted in
   * a {@code LongAdder}). Registering a definition that already has a family, or twice, is an error.
   *
   * <pre>{@code
   * LongAdder inFlight = new LongAdder();
   * registry.callbackGauge(MetricCatalog.ACTIVE_CONNECTIONS, inFlight::sum);
   * }</pre>
   */
  public void callbackGauge(MetricDefinition definition, DoubleSupplier value) {
    Objects.requireNonNull(value, "value");
    if (definition.type() != MetricType.GAUGE || !definition.labelNames().isEmpty()) {
      throw new IllegalArgumentException("a callback gauge is a gauge without labels of its own, not " + definition);
    }
    synchronized (this) {
      if (families.containsKey(definition.name())) {
        throw new IllegalArgumentException("metric " + definition.name() + " already has a family: "
            + families.get(definition.name()).definition());
      }
      factory.callbackGauge(definition, value);
    }
  }

  private static void checkSameShape(MetricDefinition existing, MetricDefinition definition) {
    if (!sameShape(existing, definition)) {
      throw new IllegalArgumentException("metric " + definition.name() + " is already defined as "
          + existing + "; cannot define it again as " + definition);
    }
  }

  /** The exclusive state set of a catalogue state-set definition, created on first use. */
  public ExclusiveStateSet exclusiveStateSet(MetricDefinition definition) {
    if (definition.type() != MetricType.STATESET) {
      throw new IllegalArgumentException(definition.name() + " is a " + definition.type() + ", not a state set");
    }
    return stateSets.computeIfAbsent(definition.name(), name -> {
      Set<String> reserved = new HashSet<>(reservedLabels);
      reserved.add(name);
      MetricNames.checkLabelNames(name, definition.labelNames(), reserved);
      GroupGate gate = gates.get(definition.group());
      ExclusiveStateSet set = new ExclusiveStateSet(definition, constLabels, labelSanitizer,
          config.seriesBudget(name), factory.overflow(name, gate), gate);
      if (gate != null) {
        gate.register(set);
      } else {
        prometheus.register(set);
      }
      return set;
    });
  }

  /** The families created so far, catalogue ones included (the HTTP families are not among them). */
  public List<MetricFamily<?>> families() {
    return new ArrayList<>(families.values());
  }

  /** The definitions of every family built so far: the four HTTP families, then those of {@link #families()}. */
  public List<MetricDefinition> definitions() {
    List<MetricDefinition> out = new ArrayList<>(HttpFamilies.DEFINITIONS);
    families.values().forEach(f -> out.add(f.definition()));
    return out;
  }

  private MetricDefinition custom(
      String name, MetricType type, String help, String[] labelNames, double[] buckets, String[] states) {
    if (help == null || help.isBlank()) {
      throw new IllegalArgumentException("metric " + name + " needs a help text");
    }
    return new MetricDefinition(name, type, MetricGroup.SELF, help, List.of(labelNames),
        Arrays.stream(buckets).boxed().toList(), List.of(states), "short");
  }

  private static boolean sameShape(MetricDefinition a, MetricDefinition b) {
    return a.type() == b.type() && a.labelNames().equals(b.labelNames()) && a.buckets().equals(b.buckets())
        && a.states().equals(b.states());
  }
}
