package io.pyairtable.metrics.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.spring.testing.Http;
import io.pyairtable.metrics.spring.testing.Promtool;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With {@code pyairtable.metrics.micrometer.prometheus-conventions=false} Micrometer's meters are
 * exposed as Micrometer names them, and promtool reports exactly what the conventions filter fixes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "pyairtable.metrics.micrometer.prometheus-conventions=false")
@Timeout(120)
class MicrometerConventionsOffTest {

  @LocalServerPort
  int port;

  @Test
  void switchedOffMicrometersOwnNamesComeBackWithPromtoolsFindings() throws Exception {
    Http.get(port, "/users/42");

    HttpResponse<String> r = Http.get(port, "/actuator/prometheus", "Accept", "text/plain;version=0.0.4");

    assertThat(r.statusCode()).isEqualTo(200);
    Promtool.Result lint = Promtool.checkMetrics(r.body());
    assertThat(lint.output().lines()).containsExactly(
        "http_server_requests_active_seconds no help text",
        "http_server_requests_active_seconds_max no help text",
        "http_server_requests_seconds no help text",
        "http_server_requests_seconds_max no help text",
        "jvm_compilation_time_ms_total metric names should not contain abbreviated units",
        "process_cpu_time_ns_total metric names should not contain abbreviated units",
        "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix",
        "tomcat_sessions_active_current_sessions no help text",
        "tomcat_sessions_active_max_sessions no help text",
        "tomcat_sessions_alive_max_seconds no help text",
        "tomcat_sessions_created_sessions_total no help text",
        "tomcat_sessions_expired_sessions_total no help text",
        "tomcat_sessions_rejected_sessions_total no help text");
    assertThat(lint.exitCode()).isEqualTo(3);
  }
}
