package io.pyairtable.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code serve SERVICE} as the Kubernetes Deployments run it: a real JVM process configured only by
 * its environment, answering /health, /health/ready and /metrics as the named service, and on
 * SIGTERM stopping gracefully ({@code <service> stopped}, exit status 0, nothing on stderr).
 */
class ServeProcessTest {

  private static final Pattern SERVING = Pattern.compile("serving (\\S+) on http://127\\.0\\.0\\.1:(\\d+) ");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static AirtableEmulator airtable;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startAirtable() {
    airtable = AirtableEmulator.builder().build().start();
  }

  @AfterAll
  static void stopAirtable() {
    airtable.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"api-gateway", "mcp-server", "airtable-gateway", "llm-orchestrator"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void servesTheNamedServiceFromTheEnvironmentAndStopsCleanlyOnSigterm(String service) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
        PyAirtableMetricsCli.class.getName(), "serve", service);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("SERVICE_NAME", service);
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("AIRTABLE_API_KEY", airtable.apiKey());
    env.put("AIRTABLE_BASE_URL", airtable.baseUrl());
    // the gateway's backends: a loopback server that is not one of them (its health checks mark them down)
    env.put("AIRTABLE_GATEWAY_URL", airtable.baseUrl());
    env.put("MCP_SERVER_URL", airtable.baseUrl());
    env.put("LLM_ORCHESTRATOR_URL", airtable.baseUrl());
    env.put("MCP_SANDBOX_DIR", tmp.toString());
    pb.environment().put("JAVA_TOOL_OPTIONS", "-Xmx256m -Djava.io.tmpdir=" + tmp);
    // to files: a pipe's last lines can be lost to a reader when the process exits
    Path outFile = tmp.resolve("serve.out");
    Path errFile = tmp.resolve("serve.err");
    pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
    Process process = pb.start();
    Output out = new Output(outFile);
    Output err = new Output(errFile);
    try {
      int port = awaitServing(process, out, service);

      HttpResponse<String> health = get(port, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"ok\"", "\"service\":\"" + service + "\"");
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body().lines().filter(l -> l.startsWith("service_info{"))
          .filter(l -> l.contains("service=\"" + service + "\"")).toList()).hasSize(1);
      assertThat(metrics.body()).contains("active_connections{service=\"" + service + "\"} 0.0");

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
      assertThat(process.exitValue()).as("a completed graceful stop is a success").isZero();
      assertThat(out.lines()).as("stderr: %s", err.lines()).endsWith(service + " stopped");
      assertThat(err.lines()).noneMatch(l -> l.contains("Exception") || l.contains("did not stop cleanly"));
    } finally {
      process.destroyForcibly();
    }
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int awaitServing(Process process, Output out, String service) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      for (String line : out.lines()) {
        Matcher m = SERVING.matcher(line);
        if (m.find()) {
          assertThat(m.group(1)).isEqualTo(service);
          return Integer.parseInt(m.group(2));
        }
      }
      assertThat(process.isAlive()).as("serve exited early: %s", out.lines()).isTrue();
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no 'serving' line within 90 s: " + out.lines());
  }

  private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A file the process writes to. */
  private record Output(Path file) {
    List<String> lines() throws IOException {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
  }
}
