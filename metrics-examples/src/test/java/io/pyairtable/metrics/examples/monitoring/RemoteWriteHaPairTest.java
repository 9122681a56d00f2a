package io.pyairtable.metrics.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.DemoOptions;
import io.pyairtable.metrics.examples.demo.RunningDemo;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.stack.ScrapeTargets;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported HA pair with remote write, live: a real Prometheus run as a remote-write receiver
 * ({@code --web.enable-remote-write-receiver}) and the two Prometheus of the pair
 * ({@code prometheus-a.yml}, {@code prometheus-b.yml}, 1 s scrape and evaluation, remote write with a
 * 1 s batch deadline) scraping the running demo, all on free loopback ports. The receiver holds the
 * kept series with their labels and the {@code replica} label and nothing else; every dashboard query,
 * read from the receiver with replica {@code a} chosen, returns exactly what it returns on
 * {@code prometheus-a} at the same past timestamp; and while {@code prometheus-a} is killed and
 * started again on its data directory, replica {@code b}'s series have no gap over two scrape intervals.
 */
class RemoteWriteHaPairTest {

  private static final double SCRAPE_SECONDS = 1.0;
  private static final String GAP_SERIES = "up|http_requests_total|slo:sli_error:ratio_rate5m";
  private static final Duration DEADLINE = Duration.ofSeconds(45);

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theReceiverMatchesReplicaAAndReplicaBCoversARestartOfA() throws Exception {
    DemoOptions options = DemoOptions.builder().basePort(0).environment(Map.of()).traffic(true)
        .withPrometheus(false).out(new PrintStream(OutputStream.nullOutputStream())).build();
    Path receiverConfig = Files.writeString(dir.resolve("receiver.yml"), "global:\n  scrape_interval: 15s\n");
    try (RunningDemo demo = Demo.start(options);
        PrometheusProcess receiver = PrometheusProcess.start(receiverConfig, dir, "receiver",
            "--web.enable-remote-write-receiver")) {
      MonitoringExport export = MonitoringExport.builder()
          .prometheus(p -> p.targets(ScrapeTargets.onHost("127.0.0.1", demo.ports()))
              .scrapeInterval("1s").evaluationInterval("1s").alertmanager(null).redisExporter(null).selfTarget(null))
          .remoteWrite(receiver.url() + "/api/v1/write").remoteWriteQueue("batch_send_deadline", "1s")
          .haPair()
          .build();
      export.writeConfigs(dir);
      Set<String> kept = export.readSeries();
      try (PrometheusProcess a = PrometheusProcess.start(dir.resolve("prometheus-a.yml"), dir, "prometheus-a");
          PrometheusProcess b = PrometheusProcess.start(dir.resolve("prometheus-b.yml"), dir, "prometheus-b")) {
        // 20 scrapes of history on replica a, and both replicas' targets up at the receiver.
        assertThat(a.poll(() -> value(a.query("count_over_time(up{job=\"pyairtable-api-gateway\"}[1m])")) >= 20
            && value(receiver.query("count(up{replica=\"a\"} == 1)")) == 4
            && value(receiver.query("count(up{replica=\"b\"} == 1)")) == 4, Duration.ofSeconds(90)))
            .as("20 s of data on prometheus-a, 4 targets up per replica at the receiver; logs in " + dir).isTrue();
        double at = Math.floor(System.currentTimeMillis() / 1000.0) - 10;

        List<String> familyProblems = contractFamilies(a, receiver, kept, at);
        assertThat(familyProblems).as("families at the receiver vs prometheus-a").isEmpty();
        assertThat(receiver.query("count by (__name__) ({__name__=~\".+\"})")).allSatisfy(s ->
            assertThat(kept).contains(s.path("metric").path("__name__").asText()));
        assertThat(a.query("scrape_duration_seconds", at)).hasSize(4);
        assertThat(receiver.query("scrape_duration_seconds", at)).isEmpty();

        Map<String, String> queries = GeneratedQueries.panelExpressions();
        List<String> mismatches = new ArrayList<>();
        int[] compared = new int[2];
        List<String> examples = new ArrayList<>();
        receiver.poll(() -> {
          mismatches.clear();
          examples.clear();
          compared[0] = 0;
          compared[1] = 0;
          queries.forEach((where, expr) -> {
            Map<String, String> local = values(a.query(expr, at));
            Map<String, String> remote = values(receiver.query(ReplicaPin.pin(expr, kept, "replica", "a"), at));
            if (!local.equals(remote)) {
              mismatches.add(where + "\n  prometheus-a " + local + "\n  receiver     " + remote);
            }
            if (!local.isEmpty() && examples.size() < 4 && (where.contains("overview") || where.contains("sla"))) {
              examples.add(where + " = " + local.entrySet().iterator().next());
            }
            compared[0] += local.isEmpty() ? 0 : 1;
            compared[1] += local.size();
          });
          return mismatches.isEmpty();
        }, DEADLINE);
        assertThat(mismatches).as("dashboard queries at %s, receiver (replica a) vs prometheus-a", at).isEmpty();
        assertThat(compared[0]).as("dashboard queries with data").isGreaterThanOrEqualTo(queries.size() / 2);
        System.out.printf("remote write: %d dashboard queries compared at t=%.0f, %d with data, %d values equal, "
            + "e.g. %s%n", queries.size(), at, compared[0], compared[1], examples);

        // Kill replica a, let b scrape on for 4 s, start a again on its data, and wait for a's new samples.
        double killedAt = System.currentTimeMillis() / 1000.0;
        a.kill();
        assertThat(receiver.poll(() -> latest(receiver, "b") > killedAt + 4, DEADLINE)).isTrue();
        a.start();
        double restartedAt = System.currentTimeMillis() / 1000.0;
        assertThat(receiver.poll(() -> latest(receiver, "a") > restartedAt, DEADLINE)).as("a sends again").isTrue();
        double end = Math.floor(restartedAt) + 3;
        assertThat(receiver.poll(() -> latest(receiver, "b") > end + 1, DEADLINE)).isTrue();
        int window = (int) Math.ceil(end - killedAt) + 5;
        Map<String, Double> gapsB = largestGaps(receiver, "b", window, end);
        Map<String, Double> gapsA = largestGaps(receiver, "a", window, end);
        double largestB = gapsB.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double largestA = gapsA.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("remote write: a down %.1f s (killed to ready); over %d s, largest gap of b's %d series "
            + "%.3f s, of a's %.3f s; %s%n", restartedAt - killedAt, window, gapsB.size(), largestB, largestA,
            remoteStorageSamples(b));
        assertThat(gapsB).as("b's series over the window").hasSizeGreaterThanOrEqualTo(8);
        assertThat(largestB).as("largest gap of b's series while a restarts: %s", gapsB)
            .isLessThanOrEqualTo(2 * SCRAPE_SECONDS);
        // The same measure sees a's outage: it is not blind to gaps.
        assertThat(largestA).isGreaterThan(4.0);
      }
    }
  }

  /**
   * Every kept series name: the receiver's replica-a series carry exactly prometheus-a's label sets
   * plus {@code monitor} and {@code replica}; replica b's are there too.
   */
  private static List<String> contractFamilies(PrometheusProcess a, PrometheusProcess receiver, Set<String> kept,
      double at) {
    List<String> problems = new ArrayList<>();
    int withSeries = 0;
    for (String name : kept) {
      List<Map<String, String>> local = labelSets(a.query(name, at), Map.of());
      List<Map<String, String>> remote = labelSets(receiver.query(name + "{replica=\"a\"}", at),
          Map.of("replica", "a", "monitor", "pyairtable"));
      if (!local.equals(remote)) {
        problems.add(name + ": prometheus-a " + local + "\n  receiver " + remote);
      }
      if (!local.isEmpty()) {
        withSeries++;
        if (receiver.query(name + "{replica=\"b\"}", at).isEmpty()) {
          problems.add(name + ": no series of replica b");
        }
      }
    }
    if (withSeries < kept.size() / 2) {
      problems.add("only " + withSeries + " of " + kept.size() + " kept names have series");
    }
    System.out.printf("remote write: %d of %d kept names have series, label sets equal%n", withSeries, kept.size());
    return problems;
  }

  /** The label sets of a result, sorted; {@code external} labels must be on every series and are removed. */
  private static List<Map<String, String>> labelSets(JsonNode result, Map<String, String> external) {
    List<Map<String, String>> sets = new ArrayList<>();
    for (JsonNode s : result) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      external.forEach((k, v) -> {
        if (!v.equals(labels.remove(k))) {
          labels.put("MISSING external label " + k, v);
        }
      });
      sets.add(labels);
    }
    sets.sort((x, y) -> x.toString().compareTo(y.toString()));
    return sets;
  }

  /** Series (labels without replica and monitor) to value, for an exact comparison. */
  private static Map<String, String> values(JsonNode result) {
    Map<String, String> values = new TreeMap<>();
    for (JsonNode s : result) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.remove("replica");
      labels.remove("monitor");
      values.put(labels.toString(), s.path("value").get(1).asText());
    }
    return values;
  }

  /** The newest timestamp of replica's {@code up} at the receiver (0 when none). */
  private static double latest(PrometheusProcess receiver, String replica) {
    JsonNode r = receiver.query("max(timestamp(up{replica=\"" + replica + "\"}))");
    return r.isEmpty() ? 0 : value(r);
  }

  /** Per series of {@link #GAP_SERIES} of one replica, the largest distance between consecutive raw samples. */
  private static Map<String, Double> largestGaps(PrometheusProcess receiver, String replica, int windowSeconds,
      double end) {
    Map<String, Double> gaps = new LinkedHashMap<>();
    JsonNode r = receiver.query("{__name__=~\"" + GAP_SERIES + "\", replica=\"" + replica + "\"}[" + windowSeconds
        + "s]", end);
    for (JsonNode s : r) {
      double largest = 0;
      JsonNode samples = s.path("values");
      for (int i = 1; i < samples.size(); i++) {
        largest = Math.max(largest, samples.get(i).get(0).asDouble() - samples.get(i - 1).get(0).asDouble());
      }
      gaps.put(s.path("metric").toString(), largest);
    }
    return gaps;
  }

  private static String remoteStorageSamples(PrometheusProcess p) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(p.url() + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    return String.join(", ", body.lines().filter(l -> l.startsWith("prometheus_remote_storage_samples")
        || l.startsWith("prometheus_remote_storage_succeeded_samples")).toList());
  }

  private static double value(JsonNode result) {
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }
}
