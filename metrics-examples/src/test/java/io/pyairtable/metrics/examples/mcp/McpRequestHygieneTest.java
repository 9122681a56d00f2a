package io.pyairtable.metrics.examples.mcp;

import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.MCP_PROTOCOL_MESSAGES_TOTAL;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Issue 9's MCP findings: a body the SDK cannot take gets a JSON-RPC error with a code and a fixed
 * message (no exception text), no request body reaches any log line, and a 413 is recorded with
 * the size of the answer really sent.
 */
@Timeout(60)
class McpRequestHygieneTest {

  private static final String SECRET = "s3cr3t-marker-in-a-body";
  private static final String JSON_HEADERS = "application/json, text/event-stream";

  private final HttpClient http = HttpClient.newHttpClient();
  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("mcp-server").jvmMetrics(false)
      .initialize();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private McpServerService mcp;

  @BeforeEach
  void start() {
    logged.start();
    root().addAppender(logged);
    mcp = McpServerService.start(McpConfig.builder().port(0).build(), metrics);
  }

  @AfterEach
  void stop() {
    mcp.close();
    root().detachAppender(logged);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void aNullBodyIsAnsweredWithAJsonRpcInvalidRequestNotAnExceptionMessage() throws Exception {
    HttpResponse<String> r = post("null");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
        + "\"message\":\"Invalid Request\"}}");
    assertThat(post("42").body()).contains("\"code\":-32600");
    assertThat(post("{\"id\":1}").body()).contains("\"code\":-32600");
    HttpResponse<String> notJson = post("{\"jsonrpc\":\"2.0\", " + SECRET);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
        + "\"message\":\"Parse error\"}}");
    assertThat(Exposition.parse(metrics.exportMetrics()).sum(MCP_PROTOCOL_MESSAGES_TOTAL.name(),
        Map.of("message_type", "response", "direction", "outbound", "status", "error"))).isEqualTo(4.0);
  }

  @Test
  void noRequestBodyReachesTheLogsEvenWhenTheSdkRejectsIt() throws Exception {
    post("{\"jsonrpc\":\"2.0\", " + SECRET);
    post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":\"" + SECRET + "\"}");
    post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + SECRET + "\"}}");
    post("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":[\"" + SECRET + "\"]}]");
    assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains(SECRET)
        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(SECRET)));
  }

  @Test
  void aTooLargeBodyIsAnswered413AndRecordedWithTheSizeOfTheAnswerSent() throws Exception {
    byte[] big = new byte[McpMessageMeter.MAX_BODY_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl()))
        .header("Content-Type", "application/json").header("Accept", JSON_HEADERS)
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
        + "\"message\":\"Request too large\"}}");
    Map<String, String> labels = Map.of("method", "POST", "status_code", "413");
    // the HTTP metrics record a request once its answer has been sent: wait for that
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Exposition.parse(metrics.exportMetrics()).sum(HTTP_RESPONSE_SIZE_BYTES.count(), labels) < 1
        && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    Exposition e = Exposition.parse(metrics.exportMetrics());
    assertThat(e.sum(HTTP_RESPONSE_SIZE_BYTES.count(), labels)).isEqualTo(1.0);
    assertThat(e.sum(HTTP_RESPONSE_SIZE_BYTES.sum(), labels))
        .isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(mcp.mcpUrl())).header("Content-Type", "application/json")
        .header("Accept", JSON_HEADERS).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
