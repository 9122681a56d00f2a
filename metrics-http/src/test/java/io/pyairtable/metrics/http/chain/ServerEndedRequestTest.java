package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.middleware.HttpMiddleware;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A response the server ends itself (a draining server closing an event stream) is recorded with
 * the status it had sent, not as the client's 499, and the broken connection it causes is no error.
 */
class ServerEndedRequestTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("ended").jvmMetrics(false).initialize();
  private final RequestChain chain = HttpMiddleware.create(MiddlewareOptions.builder().metricsCollector(collector)
      .enableRequestLogging(false).build()).requestChain();

  @Test
  void aResponseTheServerEndedKeepsTheStatusItHadSentWhateverFollows() {
    RequestScope scope = chain.begin("GET", "/events", null);
    scope.endByServer(200);
    scope.clientFailed(new SocketException("Broken pipe")); // the write that met the closed connection
    ErrorResponse answer = chain.onException(scope, new SocketException("Broken pipe"));
    chain.finish(scope, "/events", true, 499, 0, 120); // the application set 499 after the end
    chain.leave(scope);

    assertThat(scope.endedByServer()).isTrue();
    assertThat(scope.clientFailed()).isFalse();
    assertThat(answer.writable()).isFalse();
    assertThat(requests()).containsExactly("GET /events 200 = 1.0");
    assertThat(new Exposition(collector.exportMetrics()).find(MetricCatalog.ERRORS_TOTAL.name())).isEmpty();
  }

  @Test
  void aResponseEndedBeforeItSentAnythingIsTheStoppingServers503() {
    RequestScope scope = chain.begin("GET", "/events", null);
    scope.endByServer(RequestScope.SERVER_ENDED_STATUS);
    chain.finish(scope, "/events", true, 500, 0, 0);
    chain.leave(scope);

    assertThat(requests()).containsExactly("GET /events 503 = 1.0");
    assertThat(new Exposition(collector.exportMetrics()).value(MetricCatalog.ERRORS_TOTAL.name(),
        "error_type", "http_5xx", "endpoint", "/events")).isEqualTo(1);
  }

  @Test
  void aClientThatLeftFirstStaysA499() {
    RequestScope scope = chain.begin("GET", "/events", null);
    scope.clientFailed(new SocketException("Connection reset"));
    scope.endByServer(200);
    chain.finish(scope, "/events", true, 200, 0, 0);
    chain.leave(scope);

    assertThat(scope.endedByServer()).isFalse();
    assertThat(requests()).containsExactly("GET /events 499 = 1.0");
    assertThat(new Exposition(collector.exportMetrics()).value(MetricCatalog.ERRORS_TOTAL.name(),
        "error_type", ClientFailures.CLIENT_ABORT, "endpoint", "/events")).isEqualTo(1);
  }

  private List<String> requests() {
    return new Exposition(collector.exportMetrics()).find(MetricCatalog.HTTP_REQUESTS_TOTAL.name()).stream()
        .map(s -> s.labels().get("method") + " " + s.labels().get("endpoint") + " " + s.labels().get("status_code")
            + " = " + s.value())
        .toList();
  }
}
