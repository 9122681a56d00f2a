package io.pyairtable.metrics.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.spring.testing.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sample started as a fresh Boot application on a random port with real embedded Tomcat,
 * checked over real HTTP: one Actuator scrape holds the PyAirtable families and Micrometer's
 * meters with the same service label, and the project's /metrics answers with its token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "pyairtable.metrics.endpoint.token=s3cret-token"})
@Timeout(180)
class WorkspaceApiTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @LocalServerPort
  int port;

  private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = send("GET", "/actuator/prometheus", "Accept", "text/plain;version=0.0.4");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static List<String> lines(String body, String prefix) {
    return body.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  private static String await(Duration timeout, String what, ThrowingSupplier<String> scrape, String expectedLine)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String body = scrape.get();
    while (!body.lines().toList().contains(expectedLine)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + expectedLine);
      }
      Thread.sleep(50);
      body = scrape.get();
    }
    return body;
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  @Test
  void oneActuatorScrapeShowsTheRequestsByRoutePatternNextToMicrometersJvmSeries() throws Exception {
    assertThat(send("GET", "/users/1").body()).isEqualTo("{\"id\":1,\"name\":\"Ada\",\"workspaceId\":\"wspAAAAAAAAAAAAAA\"}");
    assertThat(send("GET", "/users/1").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/users/99").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/workspaces/wspAAAAAAAAAAAAAA/sync").body())
        .contains("\"users\":2").contains("\"workspaceId\":\"wspAAAAAAAAAAAAAA\"");
    assertThat(send("POST", "/workspaces/wspBrokenAAAAAAAA/sync").statusCode()).isEqualTo(502);

    String body = await(Duration.ofSeconds(30), "the failed sync recorded", this::scrape,
        "http_requests_total{endpoint=\"/workspaces/{workspaceId}/sync\",method=\"POST\",service=\"workspace-api\","
            + "status_code=\"502\"} 1.0");

    assertThat(body.lines()).contains(
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"workspace-api\",status_code=\"200\"} 2.0",
        "http_requests_total{endpoint=\"/users/{id}\",method=\"GET\",service=\"workspace-api\",status_code=\"404\"} 1.0",
        "http_requests_total{endpoint=\"/workspaces/{workspaceId}/sync\",method=\"POST\",service=\"workspace-api\","
            + "status_code=\"200\"} 1.0",
        "business_operations_total{operation_type=\"data_sync\",service=\"workspace-api\",status=\"success\"} 1.0",
        "business_operations_total{operation_type=\"data_sync\",service=\"workspace-api\",status=\"failure\"} 1.0",
        "circuit_breaker_failures_total{circuit_name=\"airtable\",service=\"workspace-api\"} 1.0",
        "circuit_breaker_state{circuit_name=\"airtable\",service=\"workspace-api\",circuit_breaker_state=\"closed\"} 1",
        "cache_operations_total{operation=\"get\",result=\"hit\",service=\"workspace-api\"} 1.0",
        "database_connections_max{pool=\"workspaces\",service=\"workspace-api\"} 5.0",
        "hikaricp_connections_max{pool=\"workspaces\",service=\"workspace-api\"} 5.0");
    assertThat(lines(body, "jvm_memory_used_bytes{area=\"heap\"")).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("service=\"workspace-api\""));
    assertThat(lines(body, "http_server_requests_seconds_count{")).isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains("service=\"workspace-api\""));
    assertThat(body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()))
        .allSatisfy(l -> assertThat(l).contains("service=\"workspace-api\""));
    // the Airtable gateway role was declared, the other service groups stay out
    assertThat(body).contains("metrics_cardinality_overflow_total{metric=\"airtable_request_queue_size\","
        + "service=\"workspace-api\"} 0.0").doesNotContain("llm_active_sessions", "mcp_subprocess", "gateway_route");

    Promtool.Result lint = Promtool.checkMetrics(body);
    // the whole scrape (PyAirtable's families, Micrometer's JVM, Tomcat, HikariCP, cache and Spring MVC meters)
    // passes promtool: the starter's Prometheus-conventions filter describes and renames Micrometer's meters
    assertThat(lint.output()).isEmpty();
    assertThat(lint.exitCode()).isZero();
  }

  @Test
  void theProjectsMetricsPathAnswersWithItsTokenOnly() throws Exception {
    HttpResponse<String> refused = send("GET", "/metrics");
    HttpResponse<String> served = send("GET", "/metrics", "Authorization", "Bearer s3cret-token");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).doesNotContain("s3cret-token");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).contains("service_info{service=\"workspace-api\",version=\"unknown\"} 1");
  }
}
