package io.pyairtable.metrics.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Airtable.js (the official client) against the Airtable emulator: sorted listings over GET and
 * POST listRecords, typecast, CRUD, and Airtable's 422s for unknown fields, sort fields and views.
 * The gateway speaks Airtable's bodies on its own paths ({@code /bases/{b}/tables/{t}/records}),
 * which Airtable.js cannot be pointed at, so the official client is driven against the emulator.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AirtableJsInteropTest {

  private static final String BASE = "appInteropBase001";

  @Test
  void airtableJsListsSortsWritesAndSeesAirtablesErrors() throws Exception {
    try (AirtableEmulator airtable = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO)
        .requestsPerSecondPerBase(1000).build().start()) {
      airtable.seedSampleRecords(BASE, "Customers", 100); // Score = i * 7 % 100
      long before = airtable.requests();

      JsonNode seen = InteropNode.run("airtable-client.mjs", Duration.ofSeconds(90), airtable.baseUrl(),
          airtable.apiKey(), BASE, "Customers");

      assertThat(seen.path("failure").isMissingNode()).as(seen.toString()).isTrue();
      assertThat(seen.get("getCount").asInt()).isEqualTo(100);
      List<String> expectedTop = IntStream.rangeClosed(1, 100).boxed()
          .sorted(Comparator.<Integer>comparingInt(i -> i * 7 % 100).reversed()
              .thenComparing(i -> String.format("Customer %03d", i)))
          .limit(3).map(i -> (i * 7 % 100) + ":" + String.format("Customer %03d", i)).toList();
      assertThat(seen.get("getFirst")).extracting(JsonNode::asText).containsExactlyElementsOf(expectedTop);
      assertThat(seen.get("postNames")).extracting(JsonNode::asText).containsExactly("Customer 100", "Customer 099",
          "Customer 098", "Customer 097", "Customer 096");
      assertThat(seen.get("createdScore").asInt()).isEqualTo(42);
      assertThat(seen.get("foundName").asText()).isEqualTo("Interop");
      assertThat(seen.get("updatedStatus").asText()).isEqualTo("Done");
      assertThat(seen.get("destroyed").asBoolean()).isTrue();
      assertThat(seen.get("unknownField").asText()).isEqualTo("422 UNKNOWN_FIELD_NAME");
      assertThat(seen.get("wrongType").asText()).isEqualTo("422 INVALID_VALUE_FOR_COLUMN");
      assertThat(seen.get("unknownSort").asText()).isEqualTo("422 UNKNOWN_FIELD_NAME");
      assertThat(seen.get("unknownView").asText()).isEqualTo("422 VIEW_NAME_NOT_FOUND");
      // 3 GET pages, 1 POST listRecords, create, find, update, destroy, 4 refused
      assertThat(airtable.requests() - before).isEqualTo(12);
      assertThat(airtable.rateLimitResponses()).isZero();
      assertThat(airtable.recordCount(BASE, "Customers")).isEqualTo(100);
    }
  }
}
