package io.pyairtable.metrics.examples.spring.bench;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import io.pyairtable.metrics.http.servlet.MetricsServletFilter;
import io.pyairtable.metrics.spring.timed.TimedOperation;
import io.pyairtable.metrics.spring.timed.TimedOperationInterceptor;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The starter's request path and {@code @TimedOperation} against Spring's own instrumentation on
 * the same request: {@code ServerHttpObservationFilter} recording {@code http_server_requests}
 * through Micrometer's Prometheus registry, and a Micrometer {@code Observation} around the same
 * operation. Each request is a fresh mock request/response pair; {@link #baseline} is that cost
 * alone. Run (short, for a smoke check; use more iterations on a quiet machine):
 *
 * <pre>{@code
 * mvn -B -pl metrics-examples-spring -am test-compile -DskipTests
 * java -cp "$(cat metrics-examples-spring/target/bench.classpath)" \
 *     io.pyairtable.metrics.examples.spring.bench.StarterOverheadBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StarterOverheadBenchmark {

  /** The bean behind the timed operation. */
  public static class Sync {
    @TimedOperation("data_sync")
    public int timed(int n) {
      return n + 1;
    }

    public int plain(int n) {
      return n + 1;
    }
  }

  private MetricsServletFilter pyairtable;
  private ServerHttpObservationFilter spring;
  private FilterChain handler;
  private Sync timedSync;
  private Sync plainSync;
  private ObservationRegistry observations;
  private int n;

  @Setup
  public void setUp() {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("bench").jvmMetrics(false)
        .initialize(new PrometheusRegistry());
    pyairtable = new MetricsServletFilter(new RequestChain(MiddlewareOptions.builder().metricsCollector(collector)
        .enableErrorHandling(false).enableRequestLogging(false).build()), true);

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    spring = new ServerHttpObservationFilter(observations);

    // what Spring MVC does for a matched handler: the pattern for both filters, status 200
    handler = (req, res) -> {
      req.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/users/{id}");
      req.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, "/users/{id}");
      ServerHttpObservationFilter.findObservationContext((jakarta.servlet.http.HttpServletRequest) req)
          .ifPresent(c -> ((ServerRequestObservationContext) c).setPathPattern("/users/{id}"));
      ((jakarta.servlet.http.HttpServletResponse) res).setStatus(200);
    };

    ProxyFactory proxy = new ProxyFactory(new Sync());
    proxy.setProxyTargetClass(true);
    proxy.addAdvice(new TimedOperationInterceptor(collector));
    timedSync = (Sync) proxy.getProxy();
    plainSync = new Sync();
  }

  private static MockHttpServletRequest request() {
    return new MockHttpServletRequest("GET", "/users/42");
  }

  @Benchmark
  public Object baseline() throws Exception {
    MockHttpServletRequest req = request();
    MockHttpServletResponse res = new MockHttpServletResponse();
    handler.doFilter(req, res);
    return res;
  }

  @Benchmark
  public Object pyairtableFilter() throws Exception {
    return throughFilter(pyairtable);
  }

  @Benchmark
  public Object springObservationFilter() throws Exception {
    return throughFilter(spring);
  }

  /** One fresh request through {@code filter} to the handler. */
  private Object throughFilter(Filter filter) throws Exception {
    MockHttpServletResponse res = new MockHttpServletResponse();
    filter.doFilter(request(), res, handler);
    return res;
  }

  @Benchmark
  public int plainCall() {
    return plainSync.plain(n++);
  }

  @Benchmark
  public int timedOperation() {
    return timedSync.timed(n++);
  }

  @Benchmark
  public int micrometerObservation() {
    int x = n++;
    Supplier<Integer> op = () -> plainSync.plain(x);
    return Observation.createNotStarted("data_sync", observations).observe(op);
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(StarterOverheadBenchmark.class.getSimpleName()).build()).run();
  }
}
