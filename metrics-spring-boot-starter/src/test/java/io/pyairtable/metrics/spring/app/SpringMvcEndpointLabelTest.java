package io.pyairtable.metrics.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.spring.testing.Await;
import io.pyairtable.metrics.spring.testing.Http;
import io.pyairtable.metrics.spring.testing.Samples;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The endpoint label and status of each kind of Spring MVC request, over real HTTP on embedded Tomcat. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(120)
class SpringMvcEndpointLabelTest {

  @LocalServerPort
  int port;

  @Autowired
  MetricsCollector collector;

  private static String requests(String endpoint, int status) {
    return "http_requests_total{endpoint=\"" + endpoint + "\",method=\"GET\",service=\"users-api\",status_code=\""
        + status + "\"}";
  }

  private static String errors(String type, String endpoint) {
    return "errors_total{endpoint=\"" + endpoint + "\",error_type=\"" + type + "\",service=\"users-api\"}";
  }

  private double now(String series) {
    return Samples.value(collector.exportMetrics(), series);
  }

  private void awaitValue(String series, double expected) {
    Await.until(Duration.ofSeconds(30), series + " = " + expected, () -> now(series) == expected);
  }

  @Test
  void aMatchedRouteIsLabelledWithSpringsPattern() {
    double before = now(requests("/users/{id}", 200));

    assertThat(Http.get(port, "/users/42").statusCode()).isEqualTo(200);
    assertThat(Http.get(port, "/users/43").statusCode()).isEqualTo(200);

    assertThat(now(requests("/users/{id}", 200)) - before).isEqualTo(2.0);
    assertThat(collector.exportMetrics()).doesNotContain("endpoint=\"/users/42\"", "endpoint=\"/users/43\"");
  }

  @Test
  void aPathThatMatchedNothingIsUnmatchedAnd404() {
    double before = now(requests("unmatched", 404));

    assertThat(Http.get(port, "/no/such/path/123").statusCode()).isEqualTo(404);

    assertThat(now(requests("unmatched", 404)) - before).isEqualTo(1.0);
    assertThat(collector.exportMetrics()).doesNotContain("/no/such/path", "endpoint=\"/**\"",
        "NoResourceFoundException");
  }

  @Test
  void aResponseStatusExceptionKeepsThePatternAndItsStatus() {
    double before = now(requests("/users/{id}", 404));
    double errorsBefore = now(errors("ResponseStatusException", "/users/{id}"));

    assertThat(Http.get(port, "/users/gone").statusCode()).isEqualTo(404);

    assertThat(now(requests("/users/{id}", 404)) - before).isEqualTo(1.0);
    assertThat(now(errors("ResponseStatusException", "/users/{id}")) - errorsBefore).isEqualTo(1.0);
  }

  @Test
  void anExceptionHandlerAnswerIsRecordedWithItsStatusAndTheExceptionType() {
    double before = now(requests("/workspaces/{id}", 404));

    HttpResponse<String> response = Http.get(port, "/workspaces/wsp1");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"error\":\"workspace_missing\"}");
    assertThat(now(requests("/workspaces/{id}", 404)) - before).isEqualTo(1.0);
    assertThat(now(errors("WorkspaceMissing", "/workspaces/{id}"))).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void anUnhandledExceptionIs500OnItsPatternAndSpringsErrorPageStillAnswers() {
    double before = now(requests("/users/{id}", 500));
    double errorsBefore = now(errors("IllegalStateException", "/users/{id}"));
    String failures = "business_operations_total{operation_type=\"user_lookup\",service=\"users-api\",status=\"failure\"}";
    double failuresBefore = now(failures);

    HttpResponse<String> response = Http.get(port, "/users/boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("\"status\":500").doesNotContain("lookup failed");
    assertThat(now(requests("/users/{id}", 500)) - before).isEqualTo(1.0);
    assertThat(now(errors("IllegalStateException", "/users/{id}")) - errorsBefore).isEqualTo(1.0);
    assertThat(now(failures) - failuresBefore).isEqualTo(1.0);
    assertThat(collector.exportMetrics()).doesNotContain("endpoint=\"/error\"");
  }

  @Test
  void aDeferredResultIsRecordedWhenItCompletes() {
    double before = now(requests("/deferred/{id}", 200));

    HttpResponse<String> response = Http.get(port, "/deferred/7");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":\"7\"}");
    awaitValue(requests("/deferred/{id}", 200), before + 1);
  }

  @Test
  void aCompletableFutureIsRecordedWithItsFinalStatus() {
    double ok = now(requests("/future/{id}", 200));
    double failed = now(requests("/future/{id}", 500));

    assertThat(Http.get(port, "/future/1").statusCode()).isEqualTo(200);
    assertThat(Http.get(port, "/future/fail").statusCode()).isEqualTo(500);

    awaitValue(requests("/future/{id}", 200), ok + 1);
    awaitValue(requests("/future/{id}", 500), failed + 1);
  }

  @Test
  void theCorrelationIdIsEchoedAndGeneratedWhenMissing() {
    HttpResponse<String> given = Http.get(port, "/users/1", "X-Request-ID", "req-abc-123");
    HttpResponse<String> generated = Http.get(port, "/users/1");

    assertThat(given.headers().firstValue("X-Request-ID")).hasValue("req-abc-123");
    assertThat(generated.headers().firstValue("X-Request-ID")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
  }

  @Test
  void timedOperationRecordsTheBeanMethod() {
    String ok = "business_operations_total{operation_type=\"user_lookup\",service=\"users-api\",status=\"success\"}";
    double before = now(ok);

    Http.get(port, "/users/5");

    assertThat(now(ok) - before).isEqualTo(1.0);
  }
}
