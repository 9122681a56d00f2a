package io.pyairtable.metrics.examples.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code all=true} walks that cannot loop: offset replaced, page limit, deadline, repeated offset, client gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AirtablePaginationTest {

  private static final String BASE = "appPagination0001";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> closing = new ArrayList<>();
  /** Query strings the stub Airtable received. */
  private final List<String> upstreamQueries = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void aCallersOffsetIsReplacedByTheOneFollowedSoTheWalkEnds() throws Exception {
    AirtableEmulator airtable = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO).build().start();
    closing.add(airtable);
    airtable.seedSampleRecords(BASE, "Customers", 120);
    AirtableGatewayService gw = gateway(URI.create(airtable.baseUrl()), airtable.apiKey(), 200, Duration.ofSeconds(30));
    String url = gw.baseUrl() + "/bases/" + BASE + "/tables/Customers/records";
    String second = json.readTree(get(url + "?pageSize=50", Duration.ofSeconds(10)).body()).path("offset").asText();
    long before = airtable.requests();

    HttpResponse<String> r = get(url + "?all=true&pageSize=50&offset=" + second, Duration.ofSeconds(20));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json.readTree(r.body());
    assertThat(body.path("records")).hasSize(70);
    assertThat(body.path("pages").asInt()).isEqualTo(2);
    assertThat(airtable.requests() - before).isEqualTo(2);
    assertThat(AirtableRecords.withOffset("pageSize=50&offset=itrA/rec1&view=Grid", "itrB/rec2"))
        .isEqualTo("pageSize=50&view=Grid&offset=itrB%2Frec2");
  }

  @Test
  void anOffsetAirtableHandsBackTwiceStopsTheWalkWithAnError() throws Exception {
    URI loop = stubAirtable(q -> "{\"records\":[{\"id\":\"recAAAAAAAAAAAAAA\",\"fields\":{}}],\"offset\":\"itrSame/rec1\"}");
    HttpResponse<String> r = listAll(loop, "Loop", 200, Duration.ofSeconds(30));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(errorType(r)).isEqualTo("PAGINATION_LOOP");
    assertThat(upstreamQueries).containsExactly("", "offset=itrSame%2Frec1");
  }

  @Test
  void aWalkStopsAtThePageLimit() throws Exception {
    HttpResponse<String> r = listAll(endlessAirtable(0), "Endless", 5, Duration.ofSeconds(30));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(errorType(r)).isEqualTo("LIST_ALL_TOO_MANY_PAGES");
    assertThat(upstreamQueries).hasSize(5);
  }

  @Test
  void aWalkStopsAtItsDeadline() throws Exception {
    HttpResponse<String> r = listAll(endlessAirtable(100), "Slow", 10_000, Duration.ofMillis(800));

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(errorType(r)).isEqualTo("LIST_ALL_TIMEOUT");
    assertThat(upstreamQueries.size()).isBetween(1, 9);
  }

  @Test
  void aWalkStopsCallingAirtableOnceTheClientHasGone() throws Exception {
    URI stub = endlessAirtable(50);
    AirtableGatewayService gw = gateway(stub, "token", 10_000, Duration.ofSeconds(50));

    try (Socket leaving = new Socket("127.0.0.1", gw.port())) {
      leaving.getOutputStream().write(("GET /bases/" + BASE + "/tables/Slow/records?all=true HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      leaving.getOutputStream().flush();
      sleep(700); // then the client gives up and closes its connection
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int previous = -1;
    while (previous != upstreamQueries.size() && System.nanoTime() < deadline) {
      previous = upstreamQueries.size();
      sleep(1_000); // two looks a second apart: the walk has stopped when the count no longer moves
    }
    assertThat(upstreamQueries.size()).as("upstream calls after the client left").isEqualTo(previous);
    assertThat(previous).isLessThan(100);
  }

  private AirtableGatewayService gateway(URI upstream, String token, int maxPages, Duration deadline) {
    AirtableGatewayService gw = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
        .upstream(upstream, token).requestsPerSecondPerBase(100).rateWindow(Duration.ofSeconds(1))
        .listAll(maxPages, deadline).build(),
        Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
    closing.add(gw);
    return gw;
  }

  /** A fake Airtable answering every list call with {@code page(query)}. */
  private URI stubAirtable(Function<String, String> page) {
    Javalin stub = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.get("/v0/{base}/{table}", ctx -> {
        upstreamQueries.add(ctx.queryString() == null ? "" : ctx.queryString());
        ctx.contentType("application/json").result(page.apply(ctx.queryString()));
      });
    }).start("127.0.0.1", 0);
    closing.add(stub::stop);
    return URI.create("http://127.0.0.1:" + stub.port());
  }

  /** A fake Airtable whose list never ends: each page, after {@code delayMillis}, hands out a new offset. */
  private URI endlessAirtable(long delayMillis) {
    return stubAirtable(q -> {
      sleep(delayMillis);
      return "{\"records\":[],\"offset\":\"itr" + upstreamQueries.size() + "/rec1\"}";
    });
  }

  /** {@code ?all=true} on {@code table} through a gateway on {@code upstream} with these walk limits. */
  private HttpResponse<String> listAll(URI upstream, String table, int maxPages, Duration deadline) throws Exception {
    AirtableGatewayService gw = gateway(upstream, "token", maxPages, deadline);
    return get(gw.baseUrl() + "/bases/" + BASE + "/tables/" + table + "/records?all=true", Duration.ofSeconds(20));
  }

  private String errorType(HttpResponse<String> r) throws Exception {
    return json.readTree(r.body()).path("error").path("type").asText();
  }

  private HttpResponse<String> get(String url, Duration timeout) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
