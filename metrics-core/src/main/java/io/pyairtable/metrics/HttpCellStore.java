package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP series in this project's own storage ({@link CellHttpSeries}), exposed as client_java
 * snapshots, so client_java's writers produce every format: the duration, request-size and
 * response-size histograms (classic buckets with the configured bounds, count, sum, created
 * timestamp = when the series was bound, the duration's exemplars) and {@code http_requests_total},
 * a counter whose value is the duration's count (same labels, same created timestamp, no
 * exemplar). The request size has no status code: its buckets live in the cells of each status
 * code's series and are added up per (method, endpoint) at scrape time ({@link Group}).
 *
 * <p>Consistency: each series is read cell by cell, each cell copied between two writes, so every
 * request is exposed whole or not at all: in one scrape, {@code _count} is the {@code +Inf}
 * bucket and the sum of the buckets, {@code http_requests_total} equals it, and the sums and the
 * sizes include exactly the requests counted. Different series (and different cells of one series)
 * are read one after the other, not at one instant, as client_java reads its data points.
 *
 * <pre>{@code
 * HttpCellStore store = new HttpCellStore(layout, constLabels, true);
 * prometheusRegistry.register(store);
 * store.bind("GET", "/users/{id}", "200", 200).observe(0.042, 120, 2048, null);
 * }</pre>
 */
final class HttpCellStore implements HttpStorage, MultiCollector {

  private static final String[] SERIES_LABELS = MetricCatalog.HTTP_REQUEST_DURATION_SECONDS.labelNameArray();
  private static final String[] GROUP_LABELS = MetricCatalog.HTTP_REQUEST_SIZE_BYTES.labelNameArray();

  private final HttpCellLayout layout;
  private final Labels constLabels;
  private final boolean exemplars;
  /**
   * The metadata of the four families, as client_java's builders make it (name and help, no unit).
   * Built here, not read from client_java metrics: older client_java versions (the one Spring Boot
   * manages) do not make a metric's metadata public.
   */
  private final MetricMetadata requests;
  private final MetricMetadata duration;
  private final MetricMetadata requestSize;
  private final MetricMetadata responseSize;
  private final Set<String> seriesLabelNames;
  private final Set<String> groupLabelNames;
  private final Map<List<String>, Group> byPair = new HashMap<>();
  /** Every group, in binding order; replaced whole (under the lock) when one is added. */
  private volatile Group[] groups = new Group[0];

  HttpCellStore(HttpCellLayout layout, Labels constLabels, boolean exemplars) {
    this.layout = layout;
    this.constLabels = constLabels;
    this.exemplars = exemplars;
    this.requests = metadata(MetricCatalog.HTTP_REQUESTS_TOTAL);
    this.duration = metadata(MetricCatalog.HTTP_REQUEST_DURATION_SECONDS);
    this.requestSize = metadata(MetricCatalog.HTTP_REQUEST_SIZE_BYTES);
    this.responseSize = metadata(MetricCatalog.HTTP_RESPONSE_SIZE_BYTES);
    this.seriesLabelNames = labelNames(SERIES_LABELS, constLabels);
    this.groupLabelNames = labelNames(GROUP_LABELS, constLabels);
  }

  private static MetricMetadata metadata(MetricDefinition d) {
    return new MetricMetadata(d.baseName(), d.help());
  }

  /** The label names of a family with its common labels, as client_java's {@code getLabelNames()} gives them. */
  private static Set<String> labelNames(String[] names, Labels constLabels) {
    Set<String> all = new HashSet<>(Arrays.asList(names));
    constLabels.forEach(l -> all.add(l.getName()));
    return Set.copyOf(all);
  }

  @Override
  public synchronized HttpSeries bind(String method, String endpoint, String statusCode, int code) {
    Group group = byPair.get(List.of(method, endpoint));
    if (group == null) {
      group = new Group(Labels.of(GROUP_LABELS, new String[] {method, endpoint}).merge(constLabels));
      byPair.put(List.of(method, endpoint), group);
      Group[] more = Arrays.copyOf(groups, groups.length + 1);
      more[groups.length] = group;
      groups = more;
    }
    Labels labels = Labels.of(SERIES_LABELS, new String[] {method, endpoint, statusCode}).merge(constLabels);
    CellHttpSeries s = new CellHttpSeries(layout, labels, statusCode, code, exemplars);
    group.add(s);
    return s;
  }

  @Override
  public MetricSnapshots collect() {
    long now = System.currentTimeMillis();
    HttpCellLayout l = layout;
    List<CounterDataPointSnapshot> counts = new ArrayList<>();
    List<HistogramDataPointSnapshot> durations = new ArrayList<>();
    List<HistogramDataPointSnapshot> requestSizes = new ArrayList<>();
    List<HistogramDataPointSnapshot> responseSizes = new ArrayList<>();
    for (Group g : groups) {
      long[] requestTotals = new long[l.readEnd()];
      for (CellHttpSeries s : g.series) {
        long[] t = new long[l.readEnd()];
        s.read(t);
        for (int i = l.request; i <= l.requestSum; i++) {
          requestTotals[i] += t[i];
        }
        long[] d = Arrays.copyOfRange(t, l.duration, l.durationSum);
        List<Exemplar> kept = new ArrayList<>(0);
        s.exemplars(kept, now);
        durations.add(new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(l.durationBounds, d),
            Double.longBitsToDouble(t[l.durationSum]), s.labels,
            kept.isEmpty() ? Exemplars.EMPTY : Exemplars.of(kept), s.createdMillis));
        counts.add(new CounterDataPointSnapshot(total(d), s.labels, null, s.createdMillis));
        responseSizes.add(histogram(l.responseBounds, t, l.response, l.responseSum, s.labels, s.createdMillis));
      }
      requestSizes.add(histogram(l.requestBounds, requestTotals, l.request, l.requestSum, g.labels, g.createdMillis));
    }
    return new MetricSnapshots(new CounterSnapshot(requests, counts),
        new HistogramSnapshot(duration, durations),
        new HistogramSnapshot(requestSize, requestSizes),
        new HistogramSnapshot(responseSize, responseSizes));
  }

  private static HistogramDataPointSnapshot histogram(double[] bounds, long[] t, int from, int sum, Labels labels,
      long created) {
    return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, Arrays.copyOfRange(t, from, sum)),
        t[sum], labels, Exemplars.EMPTY, created);
  }

  private static long total(long[] buckets) {
    long n = 0;
    for (long b : buckets) {
      n += b;
    }
    return n;
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(requests.getPrometheusName(), duration.getPrometheusName(), requestSize.getPrometheusName(),
        responseSize.getPrometheusName());
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    return requests.getPrometheusName().equals(prometheusName) ? MetricType.COUNTER : MetricType.HISTOGRAM;
  }

  @Override
  public Set<String> getLabelNames(String prometheusName) {
    return requestSize.getPrometheusName().equals(prometheusName) ? groupLabelNames : seriesLabelNames;
  }

  @Override
  public MetricMetadata getMetadata(String prometheusName) {
    if (requests.getPrometheusName().equals(prometheusName)) {
      return requests;
    }
    if (requestSize.getPrometheusName().equals(prometheusName)) {
      return requestSize;
    }
    return responseSize.getPrometheusName().equals(prometheusName) ? responseSize : duration;
  }

  /** One (method, endpoint): its request-size labels and created timestamp, and its series by status code. */
  static final class Group {
    final Labels labels;
    final long createdMillis = System.currentTimeMillis();
    volatile CellHttpSeries[] series = new CellHttpSeries[0];

    Group(Labels labels) {
      this.labels = labels;
    }

    /** Called under the store's lock. */
    void add(CellHttpSeries s) {
      CellHttpSeries[] more = Arrays.copyOf(series, series.length + 1);
      more[series.length] = s;
      series = more;
    }
  }
}
