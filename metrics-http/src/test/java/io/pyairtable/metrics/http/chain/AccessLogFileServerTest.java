package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.HttpMetrics;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** N requests through a real server with the file access log: exactly N lines, each with its request's fields. */
class AccessLogFileServerTest {

  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void everyRequestHasExactlyOneLineWithTheFieldsOfTheSlf4jRoute() throws Exception {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("file-log").jvmMetrics(false).initialize();
    Path file = dir.resolve("access.json");
    AccessLogWriter writer = AccessLogWriter.builder(file).closeOnShutdown(false).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    HttpContext root = server.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] body = (path.startsWith("/items/") ? "item " + path.substring(7) : "nothing").getBytes(StandardCharsets.UTF_8);
      if (path.startsWith("/items/")) {
        ex.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, "/items/{id}");
      }
      ex.sendResponseHeaders(path.startsWith("/items/") || path.startsWith("/health") ? 200 : 404, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    HttpMetrics.setupMiddleware(server, MiddlewareOptions.builder().metricsCollector(collector).accessLog(writer)
        .exposeMetricsEndpoint(false).build(), root);
    server.start();
    int n = 120;
    try {
      HttpClient client = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      for (int i = 0; i < n; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/items/" + i))
            .header("X-Request-ID", "req-" + i).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200); // excluded: no line
    } finally {
      server.stop(0);
      executor.shutdownNow();
      writer.close();
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(n);
    ObjectMapper json = new ObjectMapper();
    Map<String, JsonNode> byId = new HashMap<>();
    for (String line : lines) {
      JsonNode node = json.readTree(line);
      List<String> fields = new ArrayList<>();
      node.fieldNames().forEachRemaining(fields::add);
      assertThat(fields).containsExactly("timestamp", "method", "route", "status", "duration_ms", "request_bytes",
          "response_bytes", "correlation_id", "client");
      byId.put(node.get("correlation_id").asText(), node);
    }
    for (int i = 0; i < n; i++) {
      JsonNode line = byId.get("req-" + i);
      assertThat(line).as("line of req-" + i).isNotNull();
      assertThat(line.get("method").asText()).isEqualTo("GET");
      assertThat(line.get("route").asText()).isEqualTo("/items/{id}");
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("request_bytes").asLong()).isZero();
      assertThat(line.get("response_bytes").asLong()).isEqualTo(("item " + i).length());
      assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
      assertThat(line.get("duration_ms").isNumber()).isTrue();
      assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }
    Exposition metrics = new Exposition(collector.exportMetrics());
    assertThat(metrics.value(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), "endpoint", "/items/{id}")).isEqualTo(n);
    for (String reason : List.of("queue_full", "write_failed", "closed")) {
      assertThat(metrics.find(MetricCatalog.ACCESS_LOG_DROPPED_LINES_TOTAL.name(), "reason", reason))
          .singleElement().extracting(Exposition.Sample::value).isEqualTo(0.0);
    }
  }
}
