package io.pyairtable.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.pyairtable.metrics.catalog.MetricDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Exposes a duration histogram and, derived from it at scrape time, a counter of its observations:
 * {@code http_requests_total{method,endpoint,status_code}} is by definition the count of
 * {@code http_request_duration_seconds} with the same labels, so the record path updates the
 * histogram only. Each counter series has its histogram series' labels (common labels included),
 * value ({@code _count}) and created timestamp, and no exemplar; every exposition format sees a
 * plain {@link CounterSnapshot}, as a client_java {@code Counter} would give. One scrape reads
 * the histogram once for both families. Used when the HTTP series are kept in client_java
 * histograms ({@link ClientJavaHttpStorage}, native histograms configured); the default storage
 * exposes the counter itself ({@link HttpCellStore}).
 *
 * <pre>{@code
 * factory.expose(HTTP_REQUEST_DURATION_SECONDS, new DurationWithRequestCount(duration, HTTP_REQUESTS_TOTAL));
 * }</pre>
 */
final class DurationWithRequestCount implements MultiCollector {

  private final Histogram duration;
  private final MetricMetadata count;

  DurationWithRequestCount(Histogram duration, MetricDefinition count) {
    this.duration = duration;
    this.count = new MetricMetadata(count.baseName(), count.help());
  }

  @Override
  public MetricSnapshots collect() {
    HistogramSnapshot histogram = duration.collect();
    List<HistogramDataPointSnapshot> points = histogram.getDataPoints();
    List<CounterDataPointSnapshot> counts = new ArrayList<>(points.size());
    for (HistogramDataPointSnapshot p : points) {
      counts.add(new CounterDataPointSnapshot(p.getCount(), p.getLabels(), null, p.getCreatedTimestampMillis()));
    }
    return new MetricSnapshots(histogram, new CounterSnapshot(count, counts));
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.of(count.getPrometheusName(), duration.getPrometheusName());
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    return count.getPrometheusName().equals(prometheusName) ? MetricType.COUNTER : duration.getMetricType();
  }

  @Override
  public Set<String> getLabelNames(String prometheusName) {
    return duration.getLabelNames();
  }

  @Override
  public MetricMetadata getMetadata(String prometheusName) {
    return count.getPrometheusName().equals(prometheusName) ? count : duration.getMetadata();
  }
}
