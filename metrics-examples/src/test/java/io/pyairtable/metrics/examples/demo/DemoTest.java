package io.pyairtable.metrics.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it, on free ports: four {@code /metrics} endpoints, every family of
 * the contract with data within a minute of traffic, no 429 from the Airtable emulator, and a clean
 * shutdown (no process, no thread left behind).
 */
class DemoTest {

  private static final Duration FAMILY_DEADLINE = Duration.ofSeconds(60);
  /**
   * Families that have a sample only after something went wrong inside the metrics layer itself:
   * {@code metrics_internal_errors_total{operation}} gets its first series from the first contained
   * failure, and a healthy demo has none (the dashboards show it as 0 with {@code or vector(0)}).
   */
  private static final Set<String> ONLY_AFTER_A_METRICS_FAILURE = Set.of(
      MetricCatalog.METRICS_INTERNAL_ERRORS_TOTAL.name());
  /** Families of an option the demo's services do not use: the file access log ({@code AccessLogWriter}). */
  private static final Set<String> ONLY_WITH_THE_FILE_ACCESS_LOG = Set.of(
      MetricCatalog.ACCESS_LOG_DROPPED_LINES_TOTAL.name());
  private static final Pattern JVM_WIDE_DAEMONS = Pattern.compile("HttpClient-\\d+-(SelectorManager|Worker-\\d+)"
      + "|ForkJoinPool\\.commonPool-worker-\\d+|process reaper|Attach Listener|CircuitBreakerAutoTransitionThread"
      + "|CompletableFutureDelayScheduler"
      + "|boundedElastic-(evictor-)?\\d+|parallel-\\d+|single-\\d+|prometheus-metrics-scheduler-\\d+");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void demoTrafficFillsEveryFamilyWithoutUpstream429sAndShutsDownCleanly() throws Exception {
    Set<Long> threadsBefore = liveThreadIds();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoOptions options = DemoOptions.builder().basePort(0).environment(Map.of())
        .out(new PrintStream(printed, true, StandardCharsets.UTF_8)).build();
    RunningDemo demo = Demo.start(options);
    List<String> missing;
    long emulator429s;
    try {
      assertThat(demo.ports()).containsOnlyKeys(ServiceCatalog.all());
      assertThat(demo.redisUrl()).isPresent();
      for (ServiceCatalog s : ServiceCatalog.all()) {
        HttpResponse<String> r = get(demo.metricsUrl(s));
        assertThat(r.statusCode()).as(s.serviceName()).isEqualTo(200);
        assertThat(r.body()).contains("service_info{service=\"" + s.serviceName() + "\"");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(demo.metricsUrl(s));
      }

      long trafficStart = System.nanoTime();
      poll(() -> missingFamilies(demo).isEmpty() && limiterRefusals(demo) > 0, FAMILY_DEADLINE);
      System.out.printf("every family had a sample and the limiter had refused a call after %d ms of traffic%n", (System.nanoTime() - trafficStart) / 1_000_000);
      missing = missingFamilies(demo);
      emulator429s = demo.airtableEmulator().orElseThrow().rateLimitResponses();
      Exposition airtable = scrape(demo, ServiceCatalog.AIRTABLE_GATEWAY);
      assertThat(airtable.sum(MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("limit_type", "base")))
          .as("refusals by the gateway's own limiter: "
              + airtable.matching(MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of())).isGreaterThan(0);
      assertThat(airtable.sum(MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("limit_type", "upstream_429")))
          .isZero();
    } finally {
      demo.close();
    }
    assertThat(missing).as("families without a sample on any of the four /metrics").isEmpty();
    assertThat(emulator429s).as("429s the Airtable emulator had to send").isZero();

    assertThat(poll(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive),
        Duration.ofSeconds(15))).as("child processes left: " + ProcessHandle.current().descendants()
        .map(p -> p.pid() + " " + p.info().command().orElse("?")).toList()).isTrue();
    assertThat(poll(() -> leakedThreads(threadsBefore).isEmpty(), Duration.ofSeconds(20)))
        .as("threads left: " + leakedThreads(threadsBefore)).isTrue();
    for (ServiceCatalog s : ServiceCatalog.all()) {
      assertThat(refused(demo.metricsUrl(s))).as(s.serviceName() + " still listening").isTrue();
    }
  }

  private List<String> missingFamilies(RunningDemo demo) {
    List<Exposition> scrapes = new ArrayList<>();
    for (ServiceCatalog s : ServiceCatalog.all()) {
      try {
        scrapes.add(scrape(demo, s));
      } catch (IOException | InterruptedException e) {
        return List.of("(scrape of " + s.serviceName() + " failed: " + e + ")");
      }
    }
    return MetricCatalog.all().stream().map(MetricDefinition::name)
        .filter(name -> !ONLY_AFTER_A_METRICS_FAILURE.contains(name))
        .filter(name -> !ONLY_WITH_THE_FILE_ACCESS_LOG.contains(name))
        .filter(name -> scrapes.stream().noneMatch(e -> e.hasFamily(name))).toList();
  }

  private double limiterRefusals(RunningDemo demo) {
    try {
      return scrape(demo, ServiceCatalog.AIRTABLE_GATEWAY)
          .sum(MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL.name(), Map.of("limit_type", "base"));
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private Exposition scrape(RunningDemo demo, ServiceCatalog s) throws IOException, InterruptedException {
    return Exposition.parse(get(demo.metricsUrl(s)).body());
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private boolean refused(String url) {
    try {
      get(url);
      return false;
    } catch (IOException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Set<Long> liveThreadIds() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
  }

  /**
   * Threads started since {@code before} that are still alive, except the daemon threads of
   * JVM-wide singletons that no service owns (so no service may stop them): the JDK's HTTP client
   * selectors (they end when their client is collected) and default-executor workers (they end
   * after 60 s idle; the gateways and the traffic generator use executors of their own, stopped
   * on close), common pool and process reaper; the JDK's CompletableFuture delay scheduler (started by the
   * first {@code orTimeout}, here the rate limiter's Redis PING, whichever test of the JVM comes first);
   * Resilience4j's shared auto-transition scheduler; Reactor's global schedulers (MCP SDK); and
   * client_java's shared scheduler.
   */
  private static List<String> leakedThreads(Set<Long> before) {
    System.gc();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t.getId()))
        .filter(t -> !(t.isDaemon() && JVM_WIDE_DAEMONS.matcher(t.getName()).matches()))
        .map(t -> t.getName() + (t.isDaemon() ? "" : " (non-daemon)"))
        .sorted().toList();
  }

  private static boolean poll(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
    return true;
  }
}
