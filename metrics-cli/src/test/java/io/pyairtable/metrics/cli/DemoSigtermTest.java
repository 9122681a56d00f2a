package io.pyairtable.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.ExternalProcess;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's graceful shutdown, as an operator meets it: {@code pyairtable-metrics demo} runs as a
 * real child JVM (with its own redis-server and Prometheus), 20 gateway reads and 2 MCP tool
 * calls are in flight (queued behind Airtable's 5 calls per second, so they take seconds), then
 * the JVM gets SIGTERM. Every one of them is answered 200, the JVM exits within the grace period
 * (10 s) plus 2 s, and redis-server and Prometheus stop only after every service has stopped
 * listening.
 */
class DemoSigtermTest {

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final String KEY = ApiGatewayConfig.DEMO_API_KEY;
  private static final int READS = 20;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @Timeout(240)
  void sigtermAnswersEveryInFlightReadAndToolCallExitsWithinTheGracePeriodAndStopsHelpersLast(@TempDir Path dir)
      throws Exception {
    assertThat(ExternalProcess.onPath("redis-server")).as("redis-server on the PATH").isPresent();
    assertThat(ExternalProcess.onPath("prometheus")).as("prometheus on the PATH").isPresent();
    int base = consecutiveFreePorts();
    Map<ServiceCatalog, Integer> ports = new LinkedHashMap<>();
    for (ServiceCatalog s : ServiceCatalog.all()) {
      ports.put(s, s.port(base));
    }
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PyAirtableMetricsCli.class.getName(),
        "demo", "--base-port", Integer.toString(base), "--no-traffic", "--with-prometheus")
        .redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("JAVA_HOME"));
    Process demo = builder.start();
    try {
      String gateway = "http://127.0.0.1:" + ports.get(ServiceCatalog.API_GATEWAY);
      // ready: the services answer and both helpers run (Prometheus starts after the services)
      await(Duration.ofSeconds(90), () -> ok(gateway + "/health") && ok("http://127.0.0.1:"
          + ports.get(ServiceCatalog.AIRTABLE_GATEWAY) + "/health") && helper(demo, "redis-server").isPresent()
          && helper(demo, "prometheus").map(this::prometheusReady).orElse(false), demo, dir);
      ProcessHandle redis = helper(demo, "redis-server").orElseThrow(() -> new AssertionError(log(dir)));
      ProcessHandle prometheus = helper(demo, "prometheus").orElseThrow(() -> new AssertionError(log(dir)));

      String session = initializeMcpSession(gateway);
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 1; i <= READS; i++) {
        inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/api/airtable/bases/"
            + Demo.READ_BASE + "/tables/" + Demo.READ_TABLE + "/records?pageSize=" + i)).header("X-API-Key", KEY)
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < 2; i++) {
        inFlight.add(http.sendAsync(mcpPost(gateway, session, "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i)
            + ",\"method\":\"tools/call\",\"params\":{\"name\":\"airtable_list_records\",\"arguments\":{\"baseId\":\""
            + Demo.READ_BASE + "\",\"table\":\"" + Demo.READ_TABLE + "\",\"pageSize\":" + (40 + i) + "}}}"),
            HttpResponse.BodyHandlers.ofString()));
      }
      // the queue holds requests: they are in flight, waiting for Airtable slots
      String airtableMetrics = "http://127.0.0.1:" + ports.get(ServiceCatalog.AIRTABLE_GATEWAY) + "/metrics";
      long queueDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (queued(airtableMetrics) < 5) {
        if (System.nanoTime() - queueDeadline > 0) {
          throw new AssertionError("the read base's queue never held 5 requests; last scrape: " + lastScrape
              + "; answered so far: "
              + inFlight.stream().filter(CompletableFuture::isDone).map(f -> f.join().statusCode() + " "
              + f.join().body()).toList() + "\nthe demo's log:\n" + log(dir));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }

      long signalled = System.nanoTime();
      demo.toHandle().destroy();   // SIGTERM
      Map<ServiceCatalog, Long> stoppedListening = new LinkedHashMap<>();
      long redisGone = -1;
      long prometheusGone = -1;
      long deadline = signalled + TimeUnit.SECONDS.toNanos(30);
      while ((demo.isAlive() || redisGone < 0 || prometheusGone < 0 || stoppedListening.size() < 4)
          && System.nanoTime() - deadline < 0) {
        long now = System.nanoTime();
        for (ServiceCatalog s : ServiceCatalog.all()) {
          if (!stoppedListening.containsKey(s) && !listening(ports.get(s))) {
            stoppedListening.put(s, now);
          }
        }
        if (redisGone < 0 && !redis.isAlive()) {
          redisGone = now;
        }
        if (prometheusGone < 0 && !prometheus.isAlive()) {
          prometheusGone = now;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertThat(demo.waitFor(5, TimeUnit.SECONDS)).as("demo exited; its log:\n" + log(dir)).isTrue();
      long exitMillis = (System.nanoTime() - signalled) / 1_000_000;

      List<Integer> statuses = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
        statuses.add(r.statusCode());
        answers.add(r.statusCode() + " " + r.body().strip());
      }
      String diagnosis = "every answer, in the order sent:\n" + String.join("\n", answers) + "\nthe demo's log:\n"
          + log(dir);
      assertThat(answers).as(diagnosis).noneMatch(a -> a.contains("\"isError\":true"));
      long lastService = stoppedListening.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      System.out.printf("sigterm test: %d in flight, statuses %s, exit after %d ms, last service stopped listening"
          + " %d ms, redis gone %d ms, prometheus gone %d ms after SIGTERM%n", inFlight.size(), statuses, exitMillis,
          (lastService - signalled) / 1_000_000, (redisGone - signalled) / 1_000_000,
          (prometheusGone - signalled) / 1_000_000);
      assertThat(statuses).as(diagnosis).hasSize(READS + 2).containsOnly(200);
      assertThat(exitMillis).isLessThan(GRACE.plusSeconds(2).toMillis());
      assertThat(stoppedListening).containsOnlyKeys(ServiceCatalog.all().toArray(ServiceCatalog[]::new));
      assertThat(redisGone).isGreaterThanOrEqualTo(lastService);
      assertThat(prometheusGone).isGreaterThanOrEqualTo(lastService);
      assertThat(redis.isAlive()).isFalse();
      assertThat(prometheus.isAlive()).isFalse();
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private String initializeMcpSession(String gateway) throws Exception {
    HttpResponse<String> init = http.send(mcpPost(gateway, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
        + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
        + "{\"name\":\"sigterm-test\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> initialized = http.send(mcpPost(gateway, session,
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), HttpResponse.BodyHandlers.ofString());
    assertThat(initialized.statusCode()).isEqualTo(202);
    return session;
  }

  private static HttpRequest mcpPost(String gateway, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + "/api/mcp/mcp")).header("X-API-Key", KEY)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.build();
  }

  private volatile String lastScrape = "";

  private double queued(String metricsUrl) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
          HttpResponse.BodyHandlers.ofString());
      lastScrape = r.statusCode() + " " + r.body().lines().filter(l -> l.contains("queue")).toList();
      // every base's queue (a base id is labelled only once Airtable confirmed it)
      return r.body().lines().filter(l -> l.startsWith("airtable_request_queue_size{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      lastScrape = e.toString();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private boolean ok(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Prometheus answers {@code /-/ready} on the address its command line names. */
  private boolean prometheusReady(ProcessHandle prometheus) {
    return prometheus.info().arguments().stream().flatMap(Arrays::stream)
        .filter(a -> a.startsWith("--web.listen-address=")).findFirst()
        .map(a -> ok("http://" + a.substring(a.indexOf('=') + 1) + "/-/ready")).orElse(false);
  }

  /**
   * The child process started for {@code helper}, known by its executable (Debian's redis-server is
   * a link to redis-check-rdb, and it rewrites its own argument list, so only "redis" is certain).
   */
  private static Optional<ProcessHandle> helper(Process demo, String helper) {
    String name = helper.equals("prometheus") ? "/prometheus" : "redis";
    return demo.descendants().filter(p -> p.info().command().map(c -> helper.equals("prometheus")
        ? c.endsWith(name) : c.contains(name)).orElse(false)).findFirst();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A base port whose next three ports are free too (the demo's four services). */
  private static int consecutiveFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = LoopbackPorts.free();
      if (base + 3 > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = base; p <= base + 3 && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no four consecutive free loopback ports");
  }

  private static void await(Duration timeout, BooleanSupplier condition, Process demo, Path dir) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!demo.isAlive() || System.nanoTime() - deadline > 0) {
        throw new AssertionError("demo not ready (alive: " + demo.isAlive() + "); its log:\n" + log(dir));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("demo.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
