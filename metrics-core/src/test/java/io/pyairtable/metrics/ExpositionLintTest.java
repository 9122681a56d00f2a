package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every record method once, with awkward label values, and the exposition through {@code promtool check metrics}. */
class ExpositionLintTest {

  private static final String[] AWKWARD = {
      "plain", "with \"quotes\"", "back\\slash", "new\nline", "tab\tand\r\ncrlf", "non-ASCII: żółć 日本語 🚀",
      "x".repeat(10_240), null, "", "}{,=\"",
  };

  @Test
  void everyRecordMethodWithAwkwardLabelsPassesPromtoolCheckMetrics() throws Exception {
    MetricsCollector c = Metrics.builder(Map.of()).serviceName("lint-service").version("1.2.3").initialize();
    for (String v : AWKWARD) {
      recordEverything(c, v);
    }

    String exposition = c.exportMetrics();
    PromtoolResult result = promtoolCheckMetrics(exposition);

    // The one finding is the contract's own name: DESIGN.md and the original README fix the gauge
    // as mcp_subprocess_count, which promtool's naming lint dislikes for its _count suffix. Every
    // other line of the exposition, awkward label values included, is clean.
    assertThat(result.output().lines()).containsExactly(
        "mcp_subprocess_count non-histogram and non-summary metrics should not have \"_count\" suffix");
    assertThat(c.registry().failures().count("record_http_request")).isZero();
  }

  static void recordEverything(MetricsCollector c, String v) {
    c.recordHttpRequest(v, v, 200, 0.1, 10, 20);
    c.recordHttpRequest(v, v, 503, 0.2);
    c.recordError(v, v);
    c.incrementActiveConnections();
    c.decrementActiveConnections();
    c.recordBusinessOperation(v, true, 0.5);
    c.timed(v, () -> 1);
    c.recordAirtableRequest(v, v, v, 200, 0.3);
    c.recordRateLimitHit(v, v);
    c.updateRateLimitRemaining(v, v, 4);
    c.recordCacheOperation(v, v);
    c.updateCacheHitRatio(0.75);
    InfrastructureMetrics i = c.infrastructure();
    i.recordRedisOperation(v, true, 0.001);
    i.updateRedisPoolSize(v, 3);
    i.updateDatabaseConnections(v, 1, 2, 0, 10);
    i.recordDatabaseQuery(v, 0.02);
    i.recordConnectionAcquire(v, 0.001);
    i.recordConnectionUsage(v, 0.01);
    i.recordConnectionCreation(v, 0.005);
    i.recordConnectionTimeout(v);
    i.updateCircuitBreakerState(v, CircuitState.OPEN);
    i.recordCircuitBreakerFailure(v);
    i.recordCircuitBreakerRejection(v);
    i.recordCircuitBreakerTransition(v, CircuitState.CLOSED, CircuitState.OPEN);
    AirtableGatewayMetrics a = c.airtableGateway();
    a.recordCacheOperation(v, v, v, v);
    a.updateQuotaUsage(v, v, 42);
    a.updateRequestQueueSize(v, 2);
    a.recordWebhookEvent(v, v, v);
    a.recordRateLimiterFallback(v);
    McpServerMetrics m = c.mcpServer();
    m.recordSubprocessCreation(v, true);
    m.updateSubprocessCount(v, 1);
    m.recordSubprocessDuration(v, 12);
    m.recordProtocolMessage(v, v, v, 300);
    m.recordToolExecution(v, v, 0.4);
    LlmOrchestratorMetrics l = c.llmOrchestrator();
    l.recordGeminiRequest(v, v, 200, 1.5);
    l.recordTokenUsage(v, 10, 20, 3, 4);
    l.sessionStarted();
    l.sessionEnded(90);
    l.recordConversationTurn(v);
    l.recordMessageLength(v, 640);
    l.recordEstimatedCost(v, v, 0.0012);
    ApiGatewayMetrics g = c.apiGateway();
    g.recordRouteRequest(v, v, v, v, 0.05);
    g.recordBackendRequest(v, v, v);
    g.updateBackendHealth(v, v, BackendHealth.HEALTHY);
    g.recordAuthRequest(v, v);
  }

  record PromtoolResult(int exitCode, String output) {}

  static PromtoolResult promtoolCheckMetrics(String exposition) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    return new PromtoolResult(p.exitValue(), output.join().strip());
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
