package io.pyairtable.metrics.cli;

import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.AIRTABLE_RATE_LIMIT_HITS_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.integrations.testing.RedisCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Airtable gateway processes ({@code serve airtable-gateway}, real JVMs configured only by
 * their environment) on one real Redis Cluster ({@code REDIS_CLUSTER_NODES}, six redis-servers on
 * loopback): a read cached through one is a hit through the other; reads through both at once
 * share one budget (the emulator, which enforces Airtable's 5 requests/s per base, answers no 429);
 * readiness is 200 with the cluster, 503 naming it while every node is down (reads still answered
 * from local fallback), 200 again once the nodes are back; SIGTERM then stops both with exit 0.
 */
class ServeGatewayClusterTest {

  private static final String BASE = "appClusterServe01";
  private static final String TABLE = "Customers";
  private static final Pattern SERVING = Pattern.compile("serving airtable-gateway on http://127\\.0\\.0\\.1:(\\d+) ");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void twoGatewayProcessesShareTheLimitAndTheCacheOnTheClusterAndReadinessFollowsIt() throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        AirtableEmulator airtable = AirtableEmulator.builder().latency(Duration.ofMillis(1), Duration.ofMillis(5))
            .build().start()) {
      airtable.seedSampleRecords(BASE, TABLE, 120);
      Gateway a = Gateway.start(tmp.resolve("a"), cluster, airtable);
      Gateway b = Gateway.start(tmp.resolve("b"), cluster, airtable);
      try {
        a.awaitServing();
        b.awaitServing();
        // ready without any traffic (a pod that is not ready gets none)
        for (Gateway g : List.of(a, b)) {
          await(Duration.ofSeconds(30), "readiness 200 on " + g.dir, () -> get(g.port, "/health/ready").statusCode() == 200);
        }

        // the cache lives on the cluster: read through a, hit through b, Airtable asked once. A gateway caches and
        // looks up only tables it has seen answered (hostile ids make no keys), so b reads one other page first.
        assertThat(read(b, 2).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(read(a, 3).headers().firstValue("X-Cache")).hasValue("MISS");
        long upstream = airtable.requests();
        HttpResponse<String> viaB = read(b, 3);
        assertThat(viaB.statusCode()).isEqualTo(200);
        assertThat(viaB.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(airtable.requests()).isEqualTo(upstream);

        // one budget: 10 different reads through each at once; alone, each replica would send ~4.2/s
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
          reads.add(readAsync(a, i));
          reads.add(readAsync(b, i + 10));
        }
        for (CompletableFuture<HttpResponse<String>> r : reads) {
          assertThat(r.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(airtable.requests()).isEqualTo(upstream + 20);
        assertThat(airtable.rateLimitResponses(BASE)).as("Airtable's 429s").isZero();
        assertThat(sum(a, AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name()) + sum(b, AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL.name()))
            .as("decisions taken on the cluster").isZero();
        assertThat(sum(a, AIRTABLE_RATE_LIMIT_HITS_TOTAL.name()) + sum(b, AIRTABLE_RATE_LIMIT_HITS_TOTAL.name()))
            .as("the shared bucket made callers wait").isPositive();

        // every node down: reads still answered, readiness 503 naming the cluster
        long killed = System.nanoTime();
        for (int port : cluster.ports()) {
          cluster.kill(port);
        }
        int[] page = {40};
        for (Gateway g : List.of(a, b)) {
          await(Duration.ofSeconds(60), "readiness 503 on " + g.dir, () -> {
            assertThat(read(g, page[0]++).statusCode()).as("a read while the cluster is down").isEqualTo(200);
            return get(g.port, "/health/ready").statusCode() == 503;
          });
          assertThat(get(g.port, "/health/ready").body()).contains("Redis Cluster unreachable");
        }
        System.out.printf("cluster killed: both gateways not ready after %d ms%n", (System.nanoTime() - killed) / 1_000_000);

        // the nodes back: readiness 200 again, and the cache is shared on the cluster again
        for (int port : cluster.ports()) {
          cluster.restart(port);
        }
        cluster.awaitStateOk(Duration.ofSeconds(60));
        long clusterOk = System.nanoTime();
        for (Gateway g : List.of(a, b)) {
          await(Duration.ofSeconds(60), "readiness 200 on " + g.dir, () -> get(g.port, "/health/ready").statusCode() == 200);
        }
        System.out.printf("cluster back (cluster_state:ok): both gateways ready after %d ms%n",
            (System.nanoTime() - clusterOk) / 1_000_000);
        await(Duration.ofSeconds(30), "a read cached through a is a hit through b", () -> {
          int size = page[0]++;
          return read(a, size).statusCode() == 200
              && read(b, size).headers().firstValue("X-Cache").orElse("").equals("HIT");
        });

        assertThat(a.stop()).as("a's exit status").isZero();
        assertThat(b.stop()).as("b's exit status").isZero();
        assertThat(a.out()).endsWith("airtable-gateway stopped");
        assertThat(b.out()).endsWith("airtable-gateway stopped");
      } finally {
        a.process.destroyForcibly();
        b.process.destroyForcibly();
      }
    }
  }

  private static HttpResponse<String> read(Gateway g, int pageSize) throws IOException, InterruptedException {
    return HTTP.send(request(g, pageSize), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> readAsync(Gateway g, int pageSize) {
    return HTTP.sendAsync(request(g, pageSize), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(Gateway g, int pageSize) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port + "/bases/" + BASE + "/tables/" + TABLE
        + "/records?pageSize=" + pageSize)).timeout(Duration.ofSeconds(30)).build();
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of a counter's samples in the gateway's scrape. */
  private static double sum(Gateway g, String family) throws IOException, InterruptedException {
    return get(g.port, "/metrics").body().lines().filter(l -> l.startsWith(family + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Duration timeout, String what, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** One {@code serve airtable-gateway} JVM on the cluster, output to files. */
  private static final class Gateway {
    final Path dir;
    final Process process;
    int port;

    private Gateway(Path dir, Process process) {
      this.dir = dir;
      this.process = process;
    }

    static Gateway start(Path dir, RedisCluster cluster, AirtableEmulator airtable) throws IOException {
      Files.createDirectories(dir);
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), PyAirtableMetricsCli.class.getName(), "serve",
          "airtable-gateway");
      Map<String, String> env = pb.environment();
      env.clear();
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("PORT", "0");
      env.put("HOST", "127.0.0.1");
      env.put("AIRTABLE_API_KEY", airtable.apiKey());
      env.put("AIRTABLE_BASE_URL", airtable.baseUrl());
      env.put("REDIS_CLUSTER_NODES", cluster.nodes());
      env.put("RATE_LIMIT_REPLICAS", "2");
      // Decisions must be taken on the cluster: on a loaded 2-core machine two JVMs' first calls can
      // pass the default 250 ms and fall back, which is the limiter working, not what this test pins.
      env.put("REDIS_TIMEOUT", "2s");
      env.put("JAVA_TOOL_OPTIONS", "-Xmx256m -Djava.io.tmpdir=" + dir);
      pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
      return new Gateway(dir, pb.start());
    }

    void awaitServing() throws Exception {
      await(Duration.ofSeconds(90), "serving line of " + dir, () -> {
        assertThat(process.isAlive()).as("serve exited early: %s %s", out(), err()).isTrue();
        for (String line : out()) {
          Matcher m = SERVING.matcher(line);
          if (m.find()) {
            port = Integer.parseInt(m.group(1));
            return true;
          }
        }
        return false;
      });
    }

    /** SIGTERM, then the exit status. */
    int stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
      return process.exitValue();
    }

    List<String> out() throws IOException {
      return Files.readAllLines(dir.resolve("out"), StandardCharsets.UTF_8);
    }

    List<String> err() throws IOException {
      return Files.readAllLines(dir.resolve("err"), StandardCharsets.UTF_8);
    }
  }
}
