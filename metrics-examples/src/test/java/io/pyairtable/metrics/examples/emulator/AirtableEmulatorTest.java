package io.pyairtable.metrics.examples.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.pyairtable.metrics.examples.emulator.AirtableEmulatorExtension.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AirtableEmulatorTest {

  private static final String BASE = "appTestBase000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final AirtableEmulatorExtension emulator = new AirtableEmulatorExtension(
      airtable -> airtable.seedSampleRecords(BASE, "Customers", 250));

  @Test
  void listPagesByAtMostOneHundredWithOffsetTokens() throws Exception {
    List<String> ids = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String offset = null;
    do {
      JsonNode page = emulator.call("GET", "/v0/" + BASE + "/Customers" + (offset == null ? "" : "?offset=" + offset),
          null).body();
      pageSizes.add(page.get("records").size());
      page.get("records").forEach(r -> ids.add(r.get("id").asText()));
      offset = page.has("offset") ? page.get("offset").asText() : null;
      if (offset != null) {
        assertThat(offset).matches("itr[A-Za-z0-9]{14}/rec[A-Za-z0-9]{14}");
      }
    } while (offset != null);
    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(new HashSet<>(ids)).hasSize(250);
    assertThat(ids.get(0)).matches("rec[A-Za-z0-9]{14}");
  }

  @Test
  void pageSizeAboveOneHundredIsRejectedWith422() throws Exception {
    Reply reply = emulator.call("GET", "/v0/" + BASE + "/Customers?pageSize=101", null);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.body().at("/error/type").asText()).isEqualTo("INVALID_REQUEST_UNKNOWN");
  }

  @Test
  void maxRecordsAndFieldsLimitTheListing() throws Exception {
    JsonNode page = emulator.call("GET", "/v0/" + BASE + "/Customers?maxRecords=3&fields%5B%5D=Name", null).body();
    assertThat(page.get("records")).hasSize(3);
    assertThat(page.has("offset")).isFalse();
    Set<String> names = new HashSet<>();
    page.get("records").get(0).get("fields").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("Name");
    assertThat(page.at("/records/0/fields/Name").asText()).isEqualTo("Customer 001");
  }

  @Test
  void createGetUpdateDeleteRoundTrip() throws Exception {
    Reply created = emulator.call("POST", "/v0/" + BASE + "/Customers", "{\"fields\":{\"Name\":\"Ada\",\"Score\":1}}");
    assertThat(created.status()).isEqualTo(200);
    String id = created.body().get("id").asText();
    assertThat(created.body().get("createdTime").asText()).endsWith("Z");

    Reply patched = emulator.call("PATCH", "/v0/" + BASE + "/Customers/" + id, "{\"fields\":{\"Score\":2}}");
    assertThat(patched.body().get("fields").toString()).isEqualTo("{\"Name\":\"Ada\",\"Score\":2}");

    Reply replaced = emulator.call("PUT", "/v0/" + BASE + "/Customers/" + id, "{\"fields\":{\"Name\":\"Grace\"}}");
    assertThat(replaced.body().get("fields").toString()).isEqualTo("{\"Name\":\"Grace\"}");

    assertThat(emulator.call("GET", "/v0/" + BASE + "/Customers/" + id, null).body().at("/fields/Name").asText())
        .isEqualTo("Grace");
    Reply deleted = emulator.call("DELETE", "/v0/" + BASE + "/Customers/" + id, null);
    assertThat(deleted.body().toString()).isEqualTo("{\"id\":\"" + id + "\",\"deleted\":true}");
    assertThat(emulator.airtable().recordCount(BASE, "Customers")).isEqualTo(250);

    Reply gone = emulator.call("GET", "/v0/" + BASE + "/Customers/" + id, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().at("/error/type").asText()).isEqualTo("MODEL_ID_NOT_FOUND");
  }

  @Test
  void batchCreateAcceptsAtMostTenRecords() throws Exception {
    StringBuilder eleven = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : ",").append("{\"fields\":{\"Name\":\"n").append(i).append("\"}}");
    }
    Reply tooMany = emulator.call("POST", "/v0/" + BASE + "/Customers", eleven.append("]}").toString());
    assertThat(tooMany.status()).isEqualTo(422);
    assertThat(tooMany.body().at("/error/type").asText()).isEqualTo("INVALID_RECORDS");

    Reply two = emulator.call("POST", "/v0/" + BASE + "/Customers",
        "{\"records\":[{\"fields\":{\"Name\":\"a\"}},{\"fields\":{\"Name\":\"b\"}}]}");
    assertThat(two.body().get("records")).hasSize(2);
    assertThat(emulator.airtable().recordCount(BASE, "Customers")).isEqualTo(252);
  }

  @Test
  void errorsUseAirtableBodies() throws Exception {
    Reply table = emulator.call("GET", "/v0/" + BASE + "/Nope", null);
    assertThat(table.status()).isEqualTo(404);
    assertThat(table.body().toString()).isEqualTo(
        "{\"error\":{\"type\":\"TABLE_NOT_FOUND\",\"message\":\"Could not find table Nope in application " + BASE
            + "\"}}");
    Reply missing = emulator.call("POST", "/v0/" + BASE + "/Customers", "{\"notFields\":{}}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body().at("/error/type").asText()).isEqualTo("INVALID_REQUEST_MISSING_FIELDS");
    Reply malformed = emulator.call("POST", "/v0/" + BASE + "/Customers", "{not json");
    assertThat(malformed.status()).isEqualTo(422);
    assertThat(malformed.body().at("/error/type").asText()).isEqualTo("INVALID_REQUEST_UNKNOWN");
    Reply route = emulator.call("GET", "/v0/a/b/c/d/e", null);
    assertThat(route.status()).isEqualTo(404);
    assertThat(route.body().at("/error/type").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void requestsWithoutTheBearerTokenGet401() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(emulator.airtable().baseUrl() + "/v0/" + BASE + "/Customers")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("AUTHENTICATION_REQUIRED");
  }

  @Test
  void sixthRequestWithinASecondGets429AndTheBaseStaysRefusedForThePenalty() throws Exception {
    try (AirtableEmulator strict = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO).build().start()) {
      strict.seedSampleRecords(BASE, "Customers", 3);
      strict.seedSampleRecords("appWarmUpBase0001", "Customers", 3);
      // one call of another base first, so the seven below are not slowed by the first call's class loading
      assertThat(emulator.call(strict, "GET", "/v0/appWarmUpBase0001/Customers", null).status()).isEqualTo(200);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        statuses.add(emulator.call(strict, "GET", "/v0/" + BASE + "/Customers", null).status());
      }
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
      Reply refused = emulator.call(strict, "GET", "/v0/" + BASE + "/Customers", null);
      assertThat(refused.body().at("/error/type").asText()).isEqualTo("RATE_LIMIT_REACHED");
      assertThat(strict.rateLimitResponses()).isEqualTo(3);
      assertThat(strict.rateLimitResponses(BASE)).isEqualTo(3);
      assertThat(strict.rateLimitResponses("appOtherBase00001")).isZero();
    }
  }

  @Test
  void injectedBillingLimitAnswers429WithTheQuotaTypeAndIsNotARateLimitHit() throws Exception {
    emulator.airtable().injectFault(AirtableEmulator.Fault.BILLING_LIMIT, 1.0);
    Reply reply = emulator.call("GET", "/v0/" + BASE + "/Customers", null);
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.body().at("/error/type").asText()).isEqualTo("PUBLIC_API_BILLING_LIMIT_EXCEEDED");
    emulator.airtable().injectFault(AirtableEmulator.Fault.SERVICE_UNAVAILABLE, 1.0);
    assertThat(emulator.call("GET", "/v0/" + BASE + "/Customers", null).status()).isEqualTo(503);
    emulator.airtable().clearFault();
    assertThat(emulator.call("GET", "/v0/" + BASE + "/Customers", null).status()).isEqualTo(200);
    assertThat(emulator.airtable().injectedFaults()).isEqualTo(2);
    assertThat(emulator.airtable().rateLimitResponses()).isZero();
  }

  @Test
  void metadataListsTheTablesOfABase() throws Exception {
    String tableId = emulator.airtable().createTable(BASE, "Orders");
    JsonNode tables = emulator.call("GET", "/v0/meta/bases/" + BASE + "/tables", null).body().get("tables");
    List<String> names = new ArrayList<>();
    tables.forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("Customers", "Orders");
    JsonNode customers = tables.get(names.indexOf("Customers"));
    assertThat(customers.findValuesAsText("type")).contains("singleLineText", "number", "grid");
    assertThat(customers.at("/views/0/name").asText()).isEqualTo("Grid view");
    assertThat(tables.findValuesAsText("id")).contains(tableId);
    assertThat(emulator.call("GET", "/v0/" + BASE + "/" + tableId + "?maxRecords=1", null).status()).isEqualTo(200);
  }
}
