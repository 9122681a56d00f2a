package io.pyairtable.metrics.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9's gateway findings: the client's own {@code X-Forwarded-For} is replaced by the peer
 * address, the backend learns the gateway's timeout, and a backend failure is answered with a
 * fixed message, never the exception's.
 */
@Timeout(60)
class GatewayForwardingHygieneTest {

  private static final String KEY = "hygiene-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theClientsForwardedForIsReplacedByThePeerAddressAndTheBackendLearnsTheTimeout() throws Exception {
    Javalin echo = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.get("/echo", ctx -> ctx.json(Map.of("xff", ctx.headerMap().entrySet().stream()
          .filter(h -> h.getKey().equalsIgnoreCase("X-Forwarded-For")).map(Map.Entry::getValue).toList(),
          "timeout", String.valueOf(ctx.header(BackendProxy.TIMEOUT_HEADER)))));
    }).start("127.0.0.1", 0);
    try (ApiGatewayService gateway = gateway(echo.port())) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/airtable/echo"))
          .header("X-API-Key", KEY).header("X-Forwarded-For", "203.0.113.9").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readValue(r.body(), Map.class))
          .isEqualTo(Map.of("xff", List.of("127.0.0.1"), "timeout", "7000"));

      HttpResponse<String> shorter = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
          + "/api/airtable/echo")).header("X-API-Key", KEY).header(BackendProxy.TIMEOUT_HEADER, "1500").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(shorter.body()).contains("\"timeout\":\"1500\"");
    } finally {
      echo.stop();
    }
  }

  @Test
  void aBackendThatHangsUpIsAnswered502WithAFixedMessage() throws Exception {
    try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!hangsUp.isClosed()) {
          try (Socket s = hangsUp.accept()) {
            s.getInputStream().read();
          } catch (IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      try (ApiGatewayService gateway = gateway(hangsUp.getLocalPort())) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
            + "/api/airtable/anything")).header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JSON.readValue(r.body(), Map.class)).isEqualTo(Map.of("error", Map.of("type", "IO_ERROR",
            "message", "backend airtable-gateway failed")));
      }
    }
  }

  private static ApiGatewayService gateway(int airtablePort) {
    return ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
        .backends(URI.create("http://127.0.0.1:" + airtablePort), URI.create("http://127.0.0.1:" + LoopbackPorts.free()),
            URI.create("http://127.0.0.1:" + LoopbackPorts.free()))
        .apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).backendTimeout(Duration.ofSeconds(7)).build(),
        Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
  }
}
