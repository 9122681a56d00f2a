package io.pyairtable.metrics.benchmarks.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway-path harness starts both stacks, hits the cache through them and gets wrk's numbers. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayPathTest {

  @Test
  void bothStacksServeCacheHitsUnderWrkAndOnlyTheMeteredOneCountsThem() throws Exception {
    try (AirtableEmulator emulator = GatewayStack.emulator();
         GatewayStack on = GatewayStack.start(emulator, true);
         GatewayStack off = GatewayStack.start(emulator, false)) {
      assertThat(on.warm()).isEqualTo(2);
      assertThat(off.warm()).isEqualTo(2);
      long upstreamCalls = emulator.requests();

      String header = "X-API-Key: " + GatewayStack.apiKey();
      for (GatewayStack stack : new GatewayStack[] {on, off}) {
        Wrk.Result r = Wrk.run(stack.url(), header, 1, 2, 1);
        assertThat(r.requests()).isPositive();
        assertThat(r.requestsPerSecond()).isPositive();
        assertThat(r.p99Micros()).isPositive();
        assertThat(r.failures()).isZero();
      }
      assertThat(emulator.requests()).isEqualTo(upstreamCalls);
      assertThat(scrape(on)).contains("gateway_route_requests_total{");
      assertThat(scrape(off)).doesNotContain("gateway_route_requests_total{");
    }
  }

  @Test
  void wrkSummaryIsReadInMicroseconds() {
    String out = """
        Running 1s test @ http://127.0.0.1:1234/x
          1 threads and 2 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   512.00us  100.00us   2.00ms   90.00%
          Latency Distribution
             50%  480.00us
             75%  600.00us
             90%  700.00us
             99%    1.25ms
          3821 requests in 1.00s, 1.20MB read
          Non-2xx or 3xx responses: 3
        Requests/sec:   3815.42
        Transfer/sec:      1.20MB
        """;

    Wrk.Result r = Wrk.parse(out);

    assertThat(r.requests()).isEqualTo(3821);
    assertThat(r.requestsPerSecond()).isEqualTo(3815.42);
    assertThat(r.p50Micros()).isEqualTo(480.0);
    assertThat(r.p99Micros()).isEqualTo(1250.0);
    assertThat(r.failures()).isEqualTo(3);
  }

  private static String scrape(GatewayStack stack) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(stack.apiGatewayMetricsUrl())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
