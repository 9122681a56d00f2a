package io.pyairtable.metrics.examples.airtable;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.catalog.MetricDefinition;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Base ids and table names become label values only once Airtable confirmed them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AirtableGatewayLabelTest {

  private static final String BASE = "appRealBase000001";
  private static final List<MetricDefinition> BASE_LABELLED = List.of(AIRTABLE_API_REQUESTS_TOTAL,
      AIRTABLE_RATE_LIMIT_HITS_TOTAL, AIRTABLE_RATE_LIMIT_REMAINING, AIRTABLE_CACHE_OPERATIONS_TOTAL,
      AIRTABLE_API_QUOTA_USAGE, AIRTABLE_REQUEST_QUEUE_SIZE, AIRTABLE_WEBHOOK_EVENTS_TOTAL);
  private final HttpClient http = HttpClient.newHttpClient();
  private AirtableEmulator airtable;
  private AirtableGatewayService gateway;

  @BeforeEach
  void start() {
    airtable = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO).build().start();
    airtable.seedSampleRecords(BASE, "Customers", 3);
    gateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
        .upstream(URI.create(airtable.baseUrl()), airtable.apiKey())
        .requestsPerSecondPerBase(1000).rateWindow(Duration.ofSeconds(1)).build(),
        Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
  }

  @AfterEach
  void stop() {
    gateway.close();
    airtable.close();
  }

  @Test
  void fiveThousandRandomBaseIdsAddOneUnknownSeriesAndARealBaseSeenAfterwardsKeepsItsName() throws Exception {
    Random random = new Random(7);
    List<CompletableFuture<HttpResponse<Void>>> wave = new ArrayList<>();
    int notFound = 0;
    for (int i = 0; i < 5_000; i++) {
      wave.add(http.sendAsync(HttpRequest.newBuilder(URI.create(records(randomBaseId(random), "Customers"))).build(),
          HttpResponse.BodyHandlers.discarding()));
      if (wave.size() == 32 || i == 4_999) {
        for (CompletableFuture<HttpResponse<Void>> f : wave) {
          notFound += f.get().statusCode() == 404 ? 1 : 0;
        }
        wave.clear();
      }
    }
    assertThat(notFound).isEqualTo(5_000);

    assertThat(get(records(BASE, "Customers")).statusCode()).isEqualTo(200);
    assertThat(get(records(BASE, "NoSuch")).statusCode()).isEqualTo(404);
    assertThat(get(records(BASE, "tblNOPE0000000000")).statusCode()).isEqualTo(404);

    Exposition e = Exposition.parse(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
    for (MetricDefinition family : BASE_LABELLED) {
      String name = family.name();
      Set<String> bases = e.samples().stream().filter(s -> s.name().startsWith(name))
          .map(s -> s.labels().get("base_id")).collect(Collectors.toSet());
      assertThat(bases).as(name).isSubsetOf("unknown", BASE);
    }
    assertThat(series(e, AIRTABLE_API_REQUESTS_TOTAL, AIRTABLE_API_REQUESTS_TOTAL.name())).containsExactlyInAnyOrder(
        "unknown/unknown/list/404", BASE + "/Customers/list/200", BASE + "/unknown/list/404");
    assertThat(e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("base_id", "unknown"))).isEqualTo(5_000.0);
    assertThat(series(e, AIRTABLE_API_DURATION_SECONDS, AIRTABLE_API_DURATION_SECONDS.count())).containsExactlyInAnyOrder(
        "unknown/unknown/list", BASE + "/Customers/list", BASE + "/unknown/list");
    assertThat(series(e, AIRTABLE_REQUEST_QUEUE_SIZE, AIRTABLE_REQUEST_QUEUE_SIZE.name())).containsExactlyInAnyOrder("unknown", BASE);
    assertThat(series(e, AIRTABLE_CACHE_OPERATIONS_TOTAL, AIRTABLE_CACHE_OPERATIONS_TOTAL.name())).containsExactlyInAnyOrder(
        "get/unknown/unknown/miss", "put/" + BASE + "/Customers/success", "get/" + BASE + "/unknown/miss");
  }

  /** Each sample's values of the family's labels (in catalogue order), joined by '/'. */
  private static List<String> series(Exposition e, MetricDefinition family, String name) {
    return e.samples().stream().filter(s -> s.name().equals(name))
        .map(s -> Arrays.stream(family.labelNameArray()).map(l -> s.labels().get(l)).collect(Collectors.joining("/")))
        .toList();
  }

  private static String randomBaseId(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder("app");
    for (int i = 0; i < 14; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  private String records(String base, String table) {
    return gateway.baseUrl() + "/bases/" + base + "/tables/" + table + "/records";
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
