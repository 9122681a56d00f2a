package io.pyairtable.metrics.examples.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.Metrics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every refusal of the Airtable gateway is Airtable's error JSON; wrong methods on known paths are 405. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AirtableGatewayRefusalTest {

  private static final String BASE = "appRefusals000001";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private AirtableGatewayService gateway;

  @BeforeEach
  void start() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    gateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
        .upstream(URI.create("http://127.0.0.1:" + closedPort), "token").upstreamTimeout(Duration.ofSeconds(2)).build(),
        Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aKnownPathWithAnotherMethodIs405InAirtablesShapeWithAllow() throws Exception {
    String records = "/bases/" + BASE + "/tables/Tasks/records";
    assertRefusal(send("PUT", records), 405, "METHOD_NOT_ALLOWED", "GET, POST");
    assertRefusal(send("PATCH", records), 405, "METHOD_NOT_ALLOWED", "GET, POST");
    assertRefusal(send("DELETE", records), 405, "METHOD_NOT_ALLOWED", "GET, POST");
    assertRefusal(send("PUT", records + "/recAbCdEfGhIjKlMn"), 405, "METHOD_NOT_ALLOWED", "GET, PATCH, DELETE");
    assertRefusal(send("POST", records + "/recAbCdEfGhIjKlMn"), 405, "METHOD_NOT_ALLOWED", "GET, PATCH, DELETE");
    assertRefusal(send("GET", AirtableGatewayRoutes.WEBHOOK), 405, "METHOD_NOT_ALLOWED", "POST");
    assertRefusal(send("DELETE", AirtableGatewayRoutes.STATUS), 405, "METHOD_NOT_ALLOWED", "GET");
  }

  @Test
  void unknownPathsBadIdsAndUnreachableAirtableAnswerAirtablesErrorJsonWithGenericMessages() throws Exception {
    assertRefusal(send("GET", "/no/such/endpoint"), 404, "NOT_FOUND", null);
    assertRefusal(send("GET", "/bases/notABase/tables/Tasks/records"), 404, "NOT_FOUND", null);
    assertRefusal(send("GET", "/bases/" + BASE + "/tables/Tasks/records/notARecord"), 422,
        "INVALID_REQUEST_UNKNOWN", null);
    assertRefusal(send("POST", "/bases/" + BASE + "/tables/Tasks/records"), 422, "INVALID_REQUEST_UNKNOWN", null);
    HttpResponse<String> unreachable = send("GET", "/bases/" + BASE + "/tables/Tasks/records");
    assertRefusal(unreachable, 504, "UPSTREAM_ERROR", null);
    assertThat(json.readTree(unreachable.body()).path("error").path("message").asText())
        .isEqualTo("Airtable did not answer");
  }

  private void assertRefusal(HttpResponse<String> r, int status, String type, String allow) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode error = json.readTree(r.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo(type);
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
    if (allow != null) {
      assertThat(r.headers().firstValue("Allow")).hasValue(allow);
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
