package io.pyairtable.metrics.http.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.jdk.ManagementServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management port serves scrapes concurrently: clients that send a request and never read
 * the answer, or never finish their headers, do not block an authorised scrape.
 */
class ManagementPortTest {

  private static final String TOKEN = "m4nagement";
  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("mgmt").version("1").jvmMetrics(false).initialize();
  private final List<RawHttp> stuck = new ArrayList<>();
  private ManagementServer server;

  @AfterEach
  void stop() throws Exception {
    for (RawHttp r : stuck) {
      r.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Timeout(60)
  void stuckClientsDoNotBlockAnAuthorisedScrape() throws Exception {
    server = ManagementServer.start(new MetricsEndpoint(collector, MetricsAuth.bearer(TOKEN)), "/metrics",
        InetAddress.getLoopbackAddress(), 0);
    collector.recordHttpRequest("GET", "/x", 200, 0.01);
    for (int i = 0; i < 3; i++) { // headers never finished
      stuck.add(new RawHttp(server.port()).send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea"));
    }
    for (int i = 0; i < 3; i++) { // a full request whose answer is never read
      stuck.add(new RawHttp(server.port()).send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + TOKEN + "\r\n\r\n"));
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      scrapes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> s : scrapes) {
      HttpResponse<String> res = s.get(15, TimeUnit.SECONDS);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.body()).contains("http_requests_total{endpoint=\"/x\",method=\"GET\",service=\"mgmt\","
          + "status_code=\"200\"} 1.0");
    }
  }
}
