package io.pyairtable.metrics.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.spring.testing.Http;
import io.pyairtable.metrics.spring.testing.Promtool;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Boot application with the web and Actuator starters and this starter: one scrape of
 * /actuator/prometheus serves the PyAirtable families and Micrometer's meters, all with the same
 * service label, no family twice, and passes promtool check metrics.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(120)
class ActuatorScrapeTest {

  @LocalServerPort
  int port;

  @Autowired
  MetricsCollector collector;

  @Autowired
  PrometheusRegistry registry;

  private String scrape() {
    HttpResponse<String> r = Http.get(port, "/actuator/prometheus", "Accept", "text/plain;version=0.0.4");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void oneActuatorScrapeHoldsThePyAirtableFamiliesAndMicrometersMetersWithOneServiceLabel() throws Exception {
    Http.get(port, "/users/42");

    String body = scrape();

    assertThat(collector.prometheusRegistry()).isSameAs(registry);
    assertThat(body.lines().filter(l -> l.startsWith("http_requests_total{endpoint=\"/users/{id}\""))).containsExactly(
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"users-api\",status_code=\"200\"} 1.0");
    assertThat(body).contains("service_info{service=\"users-api\",version=\"unknown\"} 1");
    assertThat(body.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{")))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("service=\"users-api\""));
    assertThat(body.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")))
        .anySatisfy(l -> assertThat(l).contains("uri=\"/users/{id}\"").contains("service=\"users-api\""));
    assertThat(body.lines().filter(l -> l.startsWith("tomcat_sessions_active_current_sessions{")))
        .singleElement().satisfies(l -> assertThat(l).contains("service=\"users-api\""));

    List<String> samples = body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertThat(samples).allSatisfy(l -> assertThat(l).contains("service=\"users-api\""));
    Map<String, Long> typeLines = body.lines().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(typeLines).allSatisfy((family, count) -> assertThat(count).as(family).isEqualTo(1L));

    // The whole scrape passes promtool: PyAirtable's families, and Micrometer's meters as the starter's
    // Prometheus-conventions filter names and describes them.
    Promtool.Result lint = Promtool.checkMetrics(body);
    assertThat(lint.output()).isEmpty();
    assertThat(lint.exitCode()).isZero();
    assertThat(pyairtableFamilies(body)).contains("# TYPE http_requests_total counter",
        "# TYPE business_operations_total counter");
  }

  @Test
  void micrometersNonBaseUnitCountersAreInSecondsAndEveryFamilyHasHelp() {
    Http.get(port, "/workspaces/w1"); // not /users/{id}: the other test counts those

    String body = scrape();

    assertThat(body).doesNotContain("jvm_compilation_time_ms", "process_cpu_time_ns", "system_cpu_count");
    assertThat(body.lines().filter(l -> l.startsWith("# TYPE jvm_compilation_time_seconds_total ")
        || l.startsWith("# TYPE process_cpu_time_seconds_total ") || l.startsWith("# TYPE system_cpu_logical ")))
        .containsExactlyInAnyOrder("# TYPE jvm_compilation_time_seconds_total counter",
            "# TYPE process_cpu_time_seconds_total counter", "# TYPE system_cpu_logical gauge");
    assertThat(body.lines().filter(l -> l.startsWith("system_cpu_logical{"))).containsExactly(
        "system_cpu_logical{service=\"users-api\"} " + (double) Runtime.getRuntime().availableProcessors());
    assertThat(body).contains("# HELP http_server_requests_seconds Duration of HTTP server requests handled by "
        + "Spring MVC", "# HELP tomcat_sessions_active_current_sessions Active Tomcat sessions");
    // CPU time in seconds: less than this JVM's age times its processors, and more than nothing
    double cpu = body.lines().filter(l -> l.startsWith("process_cpu_time_seconds_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    assertThat(cpu).isPositive().isLessThan(uptime * Runtime.getRuntime().availableProcessors());
  }

  /** The blocks of the scrape whose family is in the PyAirtable catalogue. */
  private static String pyairtableFamilies(String scrape) {
    Set<String> names = new HashSet<>();
    MetricCatalog.all().forEach(d -> {
      names.add(d.name());
      names.add(d.baseName());
    });
    StringBuilder out = new StringBuilder();
    boolean keep = false;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# HELP ")) {
        keep = names.contains(line.split(" ")[2]);
      }
      if (keep) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void theCollectorsJvmMetricsAreOffSoMicrometerOwnsTheJvmFamilies() {
    String body = scrape();

    assertThat(collector.config().jvmMetrics()).isFalse();
    // client_java's JVM and process families are absent; Micrometer's are there once
    assertThat(body).doesNotContain("jvm_runtime_info", "jvm_memory_pool_allocated_bytes_total",
        "process_cpu_seconds_total");
    assertThat(body.lines().filter(l -> l.startsWith("# TYPE jvm_memory_used_bytes "))).hasSize(1);
    assertThat(body).contains("# TYPE jvm_info gauge");
  }
}
