package io.pyairtable.metrics.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.HttpEndpoint;
import io.pyairtable.metrics.MetricFamily;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.benchmarks.timing.SuiteTiming;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The record hot path: {@code recordHttpRequest} and a labelled counter increment, each against
 * client_java with data points bound in advance (the floor), client_java with {@code labelValues}
 * on every call, and Micrometer with dynamic tags on its Prometheus registry. Label values are
 * ones seen before, as on a warmed-up service. Also the same request through a pre-bound
 * {@code HttpEndpoint} (no method/endpoint lookup), and the floor's three histograms without its
 * counter (what {@code recordHttpRequest} updates once it has found its series). The
 * {@code TwoThreads} variants run the floor and {@code recordHttpRequest} from two threads into
 * the same series at once (the contended case: client_java's striped adders against our cells).
 *
 * <pre>
 * java -jar metrics-benchmarks/target/benchmarks.jar RecordBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordBenchmark extends SuiteTiming {

  private static final String METHOD = "GET";
  private static final String ENDPOINT = "/bases/{baseId}/tables/{tableId}";
  private static final String STATUS = "200";

  private HttpRecordVariants http;
  private HttpRecordVariants.PreBound preBound;
  private HttpEndpoint endpoint;
  private MetricsCollector collector;
  private MetricFamily<CounterDataPoint> family;
  private Counter rawCounter;
  private CounterDataPoint rawBound;
  private MeterRegistry micrometer;

  @Setup
  public void setUp() {
    http = new HttpRecordVariants();
    preBound = http.preBind(METHOD, ENDPOINT, STATUS);
    collector = http.collector();
    endpoint = collector.httpEndpoint(METHOD, ENDPOINT);
    family = collector.registry().createCounter("cache_lookups_total", "Cache lookups.", "operation", "result");
    rawCounter = Counter.builder().name("cache_lookups").help("h").constLabels(Labels.of("service", "bench"))
        .labelNames("operation", "result").withoutExemplars().register(new PrometheusRegistry());
    rawBound = rawCounter.labelValues("get", "hit");
    micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // warm every label combination once, as a running service would have
    collector.recordHttpRequest(METHOD, ENDPOINT, 200, 0.042, 120, 2048);
    http.rawLabelValues(METHOD, ENDPOINT, STATUS, 0.042, 120, 2048);
    http.micrometer(METHOD, ENDPOINT, STATUS, 0.042, 120, 2048);
  }

  @Benchmark
  public void httpPreBoundClientJava() {
    preBound.record(0.042, 120, 2048);
  }

  @Benchmark
  public void httpPreBoundHistogramsClientJava() {
    preBound.recordHistograms(0.042, 120, 2048);
  }

  @Benchmark
  public void httpLabelValuesClientJava() {
    http.rawLabelValues(METHOD, ENDPOINT, STATUS, 0.042, 120, 2048);
  }

  @Benchmark
  public void httpRecordHttpRequest() {
    collector.recordHttpRequest(METHOD, ENDPOINT, 200, 0.042, 120, 2048);
  }

  @Benchmark
  public void httpEndpointRecord() {
    endpoint.record(200, 0.042, 120, 2048);
  }

  @Benchmark
  @Threads(2)
  public void httpPreBoundClientJavaTwoThreads() {
    preBound.record(0.042, 120, 2048);
  }

  @Benchmark
  @Threads(2)
  public void httpRecordHttpRequestTwoThreads() {
    collector.recordHttpRequest(METHOD, ENDPOINT, 200, 0.042, 120, 2048);
  }

  @Benchmark
  public void httpMicrometer() {
    http.micrometer(METHOD, ENDPOINT, STATUS, 0.042, 120, 2048);
  }

  @Benchmark
  public void counterPreBoundClientJava() {
    rawBound.inc();
  }

  @Benchmark
  public void counterLabelValuesClientJava() {
    rawCounter.labelValues("get", "hit").inc();
  }

  @Benchmark
  public void counterMetricFamily() {
    family.labels("get", "hit").inc();
  }

  @Benchmark
  public void counterRecordCacheOperation() {
    collector.recordCacheOperation("get", "hit");
  }

  @Benchmark
  public void counterMicrometer() {
    micrometer.counter("cache_lookups", "operation", "get", "result", "hit").increment();
  }
}
