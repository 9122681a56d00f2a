package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator tests' Airtable: before each test an {@link AirtableEmulator} without latency and
 * with room for 1000 requests/second per base, seeded by the test's own records; closed after it.
 * Calls go as the official clients send them: bearer key and a JSON body.
 *
 * <pre>{@code
 * @RegisterExtension
 * final AirtableEmulatorExtension emulator = new AirtableEmulatorExtension(
 *     airtable -> airtable.seedSampleRecords("appTestBase000001", "Customers", 250));
 * ...
 * Reply reply = emulator.call("GET", "/v0/appTestBase000001/Customers?pageSize=101", null);
 * }</pre>
 */
final class AirtableEmulatorExtension implements BeforeEachCallback, AfterEachCallback {

  /** An answer: its status and JSON body. */
  record Reply(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final Consumer<AirtableEmulator> seed;
  private AirtableEmulator airtable;

  AirtableEmulatorExtension(Consumer<AirtableEmulator> seed) {
    this.seed = seed;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    airtable = AirtableEmulator.builder().latency(Duration.ZERO, Duration.ZERO).requestsPerSecondPerBase(1000)
        .build().start();
    seed.accept(airtable);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    airtable.close();
  }

  /** The emulator of the running test. */
  AirtableEmulator airtable() {
    return airtable;
  }

  /** {@code method path} with {@code body} (null: none) on this test's emulator. */
  Reply call(String method, String path, String body) throws IOException, InterruptedException {
    return call(airtable, method, path, body);
  }

  /** {@code method path} with {@code body} (null: none) on {@code target}. */
  Reply call(AirtableEmulator target, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
        .header("Authorization", "Bearer " + target.apiKey())
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }
}
