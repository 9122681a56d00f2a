package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.pyairtable.metrics.catalog.MetricCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code active_connections}: a LongAdder read by a callback gauge, exposed exactly as client_java's own gauge. */
class ActiveConnectionsGaugeTest {

  private static MetricsCollector collector(String name) {
    return Metrics.builder(Map.of()).serviceName(name).jvmMetrics(false).initialize();
  }

  /** The lines of one family in an exposition. */
  private static List<String> family(String exposition, String name) {
    return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")
        || l.startsWith("# HELP " + name + " ") || l.startsWith("# TYPE " + name + " ")
        || l.startsWith("# UNIT " + name + " ")).toList();
  }

  private static String write(PrometheusRegistry registry, boolean openMetrics) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (openMetrics) {
      OpenMetricsTextFormatWriter.create().write(out, registry.scrape());
    } else {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void activeConnectionsIsExposedExactlyAsClientJavasOwnGaugeInBothFormats() throws IOException {
    MetricsCollector c = collector("inflight");
    c.incrementActiveConnections();
    c.incrementActiveConnections();
    c.incrementActiveConnections();
    c.decrementActiveConnections();

    PrometheusRegistry plain = new PrometheusRegistry();
    Gauge.builder().name(MetricCatalog.ACTIVE_CONNECTIONS.name()).help(MetricCatalog.ACTIVE_CONNECTIONS.help())
        .constLabels(Labels.of("service", "inflight")).withoutExemplars().register(plain).set(2);

    String name = MetricCatalog.ACTIVE_CONNECTIONS.name();
    assertThat(family(c.exportMetrics(), name)).isEqualTo(family(write(plain, false), name))
        .contains("active_connections{service=\"inflight\"} 2.0").hasSize(3);
    assertThat(family(c.exportOpenMetrics(), name)).isEqualTo(family(write(plain, true), name))
        .contains("active_connections{service=\"inflight\"} 2.0").hasSize(3);
  }

  @Test
  void theGaugeIsRegisteredOnceAndFollowsEveryScrape() {
    MetricsCollector c = collector("inflight-once");
    c.incrementActiveConnections();

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("active_connections{")))
        .containsExactly("active_connections{service=\"inflight-once\"} 1.0");
    c.decrementActiveConnections();
    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("active_connections{")))
        .containsExactly("active_connections{service=\"inflight-once\"} 0.0");
    assertThat(c.exportMetrics().lines().filter(l -> l.equals("# TYPE active_connections gauge"))).hasSize(1);
  }

  @Test
  @Timeout(30)
  void concurrentRequestsFromManyThreadsAddUpExactly() throws InterruptedException {
    MetricsCollector c = collector("inflight-threads");
    int threads = 4;
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          c.incrementActiveConnections();
          c.incrementActiveConnections();
          c.decrementActiveConnections();
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(20));
    }

    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("active_connections{")))
        .containsExactly("active_connections{service=\"inflight-threads\"} 80000.0");
  }

  @Test
  void aCallbackGaugeIsAGaugeWithoutLabelsOfItsOwnAndIsRegisteredOnce() {
    MetricsCollector c = collector("callback-gauge");
    MetricsRegistry registry = c.registry();
    MetricFamily<GaugeDataPoint> depth =
        registry.createGauge("queue_depth", "Queue depth.");

    assertThatThrownBy(() -> registry.callbackGauge(MetricCatalog.ERRORS_TOTAL, () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a callback gauge is a gauge without labels of its own, not " + MetricCatalog.ERRORS_TOTAL);
    assertThatThrownBy(() -> registry.callbackGauge(depth.definition(), () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric queue_depth already has a family: " + depth.definition());
    assertThatThrownBy(() -> registry.callbackGauge(MetricCatalog.ACTIVE_CONNECTIONS, () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot register " + MetricCatalog.ACTIVE_CONNECTIONS + ": ");
    assertThat(c.exportMetrics().lines().filter(l -> l.startsWith("active_connections{")))
        .containsExactly("active_connections{service=\"callback-gauge\"} 0.0");
  }
}
