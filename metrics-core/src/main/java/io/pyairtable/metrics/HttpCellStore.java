package io.pyairtable.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * HttpCellStore store = new HttpCellStore(layout, constLabels, true, duration, requestSize, responseSize);
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
  /** client_java's (unregistered) histograms: metadata and label names of the three histogram families. */
  private final Histogram duration;
  private final Histogram requestSize;
  private final Histogram responseSize;
  private final MetricMetadata requests;
  private final Map<List<String>, Group> byPair = new HashMap<>();
  /** Every group, in binding order; replaced whole (under the lock) when one is added. */
  private volatile Group[] groups = new Group[0];

  HttpCellStore(HttpCellLayout layout, Labels constLabels, boolean exemplars, Histogram duration,
      Histogram requestSize, Histogram responseSize) {
    this.layout = layout;
    this.constLabels = constLabels;
    this.exemplars = exemplars;
    this.duration = duration;
    this.requestSize = requestSize;
    this.responseSize = responseSize;
    this.requests = new MetricMetadata(MetricCatalog.HTTP_REQUESTS_TOTAL.baseName(),
        MetricCatalog.HTTP_REQUESTS_TOTAL.help());
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
        new HistogramSnapshot(duration.getMetadata(), durations),
        new HistogramSnapshot(requestSize.getMetadata(), requestSizes),
        new HistogramSnapshot(responseSize.getMetadata(), responseSizes));
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
    return requestSize.getPrometheusName().equals(prometheusName) ? requestSize.getLabelNames()
        : duration.getLabelNames();
  }

  @Override
  public MetricMetadata getMetadata(String prometheusName) {
    if (requests.getPrometheusName().equals(prometheusName)) {
      return requests;
    }
    if (requestSize.getPrometheusName().equals(prometheusName)) {
      return requestSize.getMetadata();
    }
    return responseSize.getPrometheusName().equals(prometheusName) ? responseSize.getMetadata()
        : duration.getMetadata();
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
