package io.pyairtable.metrics.examples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real {@code prometheus} process on a free loopback port with its own data directory and log,
 * which can be killed (SIGKILL) and started again on the same port and data, and queried through
 * its HTTP API at a given evaluation time: the one Prometheus fixture of the live tests.
 *
 * <pre>{@code
 * try (PrometheusProcess prometheus = PrometheusProcess.start(dir.resolve("prometheus.yml"), dir, "prometheus")) {
 *   prometheus.poll(() -> !prometheus.query("up == 1").isEmpty(), Duration.ofSeconds(90));
 *   JsonNode reply = prometheus.instantQuery("sum(rate(http_requests_total[1m]))", null);
 * }
 * }</pre>
 */
public final class PrometheusProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> command;
  private final Path workDir;
  private final Path log;
  private final int port;
  private Process process;

  private PrometheusProcess(Path config, Path workDir, String name, List<String> extraFlags) throws IOException {
    this.port = LoopbackPorts.free();
    this.workDir = workDir;
    this.log = workDir.resolve(name + ".log");
    List<String> c = new ArrayList<>(List.of("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve(name + "-data"), "--web.listen-address=127.0.0.1:" + port));
    c.addAll(extraFlags);
    this.command = List.copyOf(c);
  }

  /** Starts {@code prometheus} with {@code config}, its data in {@code workDir/<name>-data}, and waits until ready. */
  public static PrometheusProcess start(Path config, Path workDir, String name, String... extraFlags) throws Exception {
    PrometheusProcess p = new PrometheusProcess(config, workDir, name, List.of(extraFlags));
    p.start();
    return p;
  }

  /** Starts (again) on the same port and data directory and waits until ready. */
  public void start() throws Exception {
    process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!poll(() -> status(url() + "/-/ready") == 200, Duration.ofSeconds(60))) {
      throw new AssertionError("prometheus not ready within 60 s; log " + log);
    }
  }

  /** SIGKILL, as a crash would: no flush, no clean shutdown; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("prometheus did not die within 30 s");
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  /**
   * The whole reply of an instant query ({@code status}, {@code data} or {@code error}) at {@code time}
   * (Unix seconds; {@code null}: now); a reply that cannot be read is an error reply naming why.
   */
  public JsonNode instantQuery(String promql, String time) {
    String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + (time == null ? "" : "&time=" + time);
    return send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build());
  }

  /** The JSON reply of {@code GET path} on the HTTP API, for example {@code /api/v1/targets}. */
  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build());
  }

  /** The instant query's result array at {@code timeSeconds}; fails on an error reply. */
  public JsonNode query(String promql, double timeSeconds) {
    JsonNode r = instantQuery(promql, Double.toString(timeSeconds));
    if (!r.path("status").asText().equals("success")) {
      throw new AssertionError("query failed on " + url() + ": " + r.path("error").asText() + "\n  " + promql);
    }
    return r.path("data").path("result");
  }

  /** The instant query's result array now. */
  public JsonNode query(String promql) {
    return query(promql, System.currentTimeMillis() / 1000.0);
  }

  /** Polls {@code condition} until it holds or {@code timeout} passes, failing at once if the process exits. */
  public boolean poll(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + "; log " + log);
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The HTTP status of {@code GET url} (any loopback server: Prometheus, or a service the test drives
   * traffic to); -1 when there is no answer within 2 s or the calling thread is interrupted.
   */
  public static int status(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static JsonNode send(HttpRequest req) {
    try {
      return JSON.readTree(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      return JSON.createObjectNode().put("status", "error").put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
