package io.pyairtable.metrics.examples.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.pyairtable.metrics.examples.emulator.AirtableEmulatorExtension.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Airtable emulator answers where official clients look: sort, listRecords, typecast, unknown names. */
class AirtableEmulatorQueryTest {

  private static final String BASE = "appEmulatorQuery1";
  @RegisterExtension
  final AirtableEmulatorExtension emulator = new AirtableEmulatorExtension(airtable -> {
    airtable.insertRecord(BASE, "Tasks", Map.of("Name", "b", "Priority", 2, "Done", false));
    airtable.insertRecord(BASE, "Tasks", Map.of("Name", "a", "Priority", 2, "Done", true));
    airtable.insertRecord(BASE, "Tasks", Map.of("Name", "C", "Priority", 1, "Done", false));
    airtable.insertRecord(BASE, "Tasks", Map.of("Name", "d", "Priority", 3, "Done", true));
  });

  @Test
  void sortOrdersByEachFieldAndDirectionInTurn() throws Exception {
    assertThat(names(get("?sort%5B0%5D%5Bfield%5D=Name"))).containsExactly("a", "b", "C", "d");
    assertThat(names(get("?sort%5B0%5D%5Bfield%5D=Name&sort%5B0%5D%5Bdirection%5D=desc")))
        .containsExactly("d", "C", "b", "a");
    assertThat(names(get("?sort%5B0%5D%5Bfield%5D=Priority&sort%5B0%5D%5Bdirection%5D=desc"
        + "&sort%5B1%5D%5Bfield%5D=Name&sort%5B1%5D%5Bdirection%5D=asc")))
        .containsExactly("d", "a", "b", "C");
    JsonNode first = get("?pageSize=2&sort%5B0%5D%5Bfield%5D=Name").body();
    assertThat(names(first)).containsExactly("a", "b");
    assertThat(names(get("?pageSize=2&sort%5B0%5D%5Bfield%5D=Name&offset="
        + URLEncoder.encode(first.get("offset").asText(), StandardCharsets.UTF_8)))).containsExactly("C", "d");
  }

  @Test
  void postListRecordsTakesTheSameParametersInAJsonBody() throws Exception {
    Reply r = emulator.call("POST", "/v0/" + BASE + "/Tasks/listRecords", "{\"pageSize\":3,\"fields\":[\"Name\"],"
        + "\"sort\":[{\"field\":\"Priority\",\"direction\":\"asc\"},{\"field\":\"Name\",\"direction\":\"desc\"}],"
        + "\"view\":\"Grid view\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(names(r.body())).containsExactly("C", "b", "a");
    assertThat(r.body().at("/records/0/fields").toString()).isEqualTo("{\"Name\":\"C\"}");
    Reply next = emulator.call("POST", "/v0/" + BASE + "/Tasks/listRecords", "{\"pageSize\":3,\"offset\":\""
        + r.body().get("offset").asText() + "\",\"sort\":[{\"field\":\"Priority\",\"direction\":\"asc\"},"
        + "{\"field\":\"Name\",\"direction\":\"desc\"}]}");
    assertThat(names(next.body())).containsExactly("d");
    assertThat(next.body().has("offset")).isFalse();
  }

  @Test
  void typecastConvertsValuesThatAreOtherwiseRefused() throws Exception {
    Reply refused = emulator.call("POST", "/v0/" + BASE + "/Tasks", "{\"fields\":{\"Name\":\"e\",\"Priority\":\"4\"}}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body().toString()).isEqualTo(
        "{\"error\":{\"type\":\"INVALID_VALUE_FOR_COLUMN\",\"message\":\"Field \\\"Priority\\\" cannot accept the provided value\"}}");

    Reply cast = emulator.call("POST", "/v0/" + BASE + "/Tasks",
        "{\"records\":[{\"fields\":{\"Name\":5,\"Priority\":\"4\",\"Done\":\"true\"}}],\"typecast\":true}");
    assertThat(cast.status()).isEqualTo(200);
    assertThat(cast.body().at("/records/0/fields").toString()).isEqualTo("{\"Name\":\"5\",\"Priority\":4,\"Done\":true}");
    assertThat(emulator.airtable().recordCount(BASE, "Tasks")).isEqualTo(5);
  }

  @Test
  void unknownFieldsSortFieldsViewsAndParametersGetAirtables422() throws Exception {
    assertError(emulator.call("POST", "/v0/" + BASE + "/Tasks", "{\"fields\":{\"Nope\":1}}"), 422,
        "UNKNOWN_FIELD_NAME", "Unknown field name: \"Nope\"");
    assertError(emulator.call("PATCH", "/v0/" + BASE + "/Tasks", "{\"records\":[{\"id\":\"" + firstId()
        + "\",\"fields\":{\"Nope\":1}}],\"typecast\":true}"), 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"Nope\"");
    assertError(get("?fields%5B%5D=Nope"), 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"Nope\"");
    assertError(get("?sort%5B0%5D%5Bfield%5D=Nope"), 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"Nope\"");
    assertError(emulator.call("POST", "/v0/" + BASE + "/Tasks/listRecords",
        "{\"sort\":[{\"field\":\"Nope\"}]}"), 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"Nope\"");
    assertError(get("?view=Kanban"), 422, "VIEW_NAME_NOT_FOUND", "Could not find view \"Kanban\" in table");
    assertError(get("?filterByFormula=" + URLEncoder.encode("{Nope}='x'", StandardCharsets.UTF_8)), 422,
        "INVALID_FILTER_BY_FORMULA", "The formula for filtering records is invalid: Unknown field names: nope");
    assertError(get("?colour=red"), 422, "INVALID_REQUEST_UNKNOWN",
        "Invalid request: parameter validation failed. Check your request data.");
    assertThat(emulator.airtable().recordCount(BASE, "Tasks")).isEqualTo(4);
  }

  private String firstId() throws Exception {
    return get("?maxRecords=1").body().at("/records/0/id").asText();
  }

  private static void assertError(Reply r, int status, String type, String message) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
    assertThat(r.body().at("/error/type").asText()).isEqualTo(type);
    assertThat(r.body().at("/error/message").asText()).isEqualTo(message);
  }

  private static List<String> names(Reply r) {
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return names(r.body());
  }

  private static List<String> names(JsonNode body) {
    List<String> names = new ArrayList<>();
    body.get("records").forEach(rec -> names.add(rec.at("/fields/Name").asText()));
    return names;
  }

  private Reply get(String query) throws Exception {
    return emulator.call("GET", "/v0/" + BASE + "/Tasks" + query, null);
  }
}
