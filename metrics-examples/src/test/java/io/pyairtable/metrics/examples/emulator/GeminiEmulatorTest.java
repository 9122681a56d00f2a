package io.pyairtable.metrics.examples.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiEmulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ONE_TURN =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Summarise the Customers table\"}]}]}";

  private final HttpClient http = HttpClient.newHttpClient();

  private static GeminiEmulator.Builder quiet() {
    return GeminiEmulator.builder().latency(Duration.ZERO, Duration.ZERO).resourceExhaustedProbability(0);
  }

  @Test
  void generateContentAnswersWithCandidatesAndUsageMetadata() throws Exception {
    try (GeminiEmulator gemini = quiet().build().start()) {
      Reply reply = call(gemini, "gemini-2.5-flash", ONE_TURN);
      assertThat(reply.status).isEqualTo(200);
      JsonNode body = reply.body;
      assertThat(body.at("/candidates/0/content/role").asText()).isEqualTo("model");
      String text = body.at("/candidates/0/content/parts/0/text").asText();
      assertThat(text).startsWith("About \"Summarise the Customers table\": ");
      assertThat(body.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
      JsonNode usage = body.get("usageMetadata");
      assertThat(usage.get("promptTokenCount").asInt()).isEqualTo(("Summarise the Customers table".length() + 3) / 4);
      assertThat(usage.get("candidatesTokenCount").asInt()).isEqualTo((text.length() + 3) / 4);
      assertThat(usage.has("cachedContentTokenCount")).isFalse();
      assertThat(usage.get("thoughtsTokenCount").asInt()).isBetween(16, 255);
      assertThat(usage.get("totalTokenCount").asInt()).isEqualTo(usage.get("promptTokenCount").asInt()
          + usage.get("candidatesTokenCount").asInt() + usage.get("thoughtsTokenCount").asInt());
      assertThat(body.get("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    }
  }

  @Test
  void usageSumsEqualTheMetadataOfEveryResponseAndALongPrefixIsCached() throws Exception {
    String history = "x".repeat(400);
    String conversation = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + history + "\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},{\"role\":\"user\",\"parts\":[{\"text\":\"next\"}]}]}";
    try (GeminiEmulator gemini = quiet().build().start()) {
      long[] sums = new long[5];
      for (String body : List.of(ONE_TURN, conversation, ONE_TURN)) {
        JsonNode usage = call(gemini, "gemini-2.5-flash", body).body.get("usageMetadata");
        sums[0] += usage.path("promptTokenCount").asLong();
        sums[1] += usage.path("candidatesTokenCount").asLong();
        sums[2] += usage.path("cachedContentTokenCount").asLong();
        sums[3] += usage.path("thoughtsTokenCount").asLong();
        sums[4] += usage.path("totalTokenCount").asLong();
      }
      assertThat(sums[2]).isEqualTo(100 + 1);
      assertThat(gemini.usage()).isEqualTo(new GeminiEmulator.Usage(sums[0], sums[1], sums[2], sums[3], sums[4]));
    }
  }

  @Test
  void thinkingBudgetZeroOmitsThoughtTokensAndOtherModelsDoNotThink() throws Exception {
    String noThinking = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
        + "\"generationConfig\":{\"thinkingConfig\":{\"thinkingBudget\":0}}}";
    try (GeminiEmulator gemini = quiet().build().start()) {
      assertThat(call(gemini, "gemini-2.5-flash", noThinking).body.at("/usageMetadata").has("thoughtsTokenCount"))
          .isFalse();
      assertThat(call(gemini, "gemini-2.0-flash", ONE_TURN).body.at("/usageMetadata").has("thoughtsTokenCount"))
          .isFalse();
      assertThat(gemini.usage().thoughtsTokens()).isZero();
    }
  }

  @Test
  void resourceExhaustedCarriesARetryInfoDelay() throws Exception {
    try (GeminiEmulator gemini = quiet().retryDelay(Duration.ofSeconds(3)).build().start()) {
      gemini.exhaustNext(1);
      Reply refused = call(gemini, "gemini-2.5-flash", ONE_TURN);
      assertThat(refused.status).isEqualTo(429);
      assertThat(refused.body.at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      JsonNode retry = null;
      for (JsonNode detail : refused.body.at("/error/details")) {
        if (detail.get("@type").asText().equals("type.googleapis.com/google.rpc.RetryInfo")) {
          retry = detail;
        }
      }
      assertThat(retry).isNotNull();
      assertThat(retry.get("retryDelay").asText()).isEqualTo("3s");
      assertThat(call(gemini, "gemini-2.5-flash", ONE_TURN).status).isEqualTo(200);
      assertThat(gemini.resourceExhaustedResponses()).isEqualTo(1);
      assertThat(gemini.requests()).isEqualTo(2);
    }
  }

  @Test
  void sameSeedGivesTheSameSequenceIncludingOccasional429s() throws Exception {
    List<String> first = sequence(9);
    assertThat(sequence(9)).isEqualTo(first);
    assertThat(first).contains("429");
    assertThat(first.stream().filter(s -> !s.equals("429")).count()).isGreaterThan(10);
  }

  private List<String> sequence(long seed) throws Exception {
    List<String> out = new ArrayList<>();
    try (GeminiEmulator gemini = GeminiEmulator.builder().seed(seed).latency(Duration.ZERO, Duration.ZERO)
        .resourceExhaustedProbability(0.2).build().start()) {
      for (int i = 0; i < 20; i++) {
        Reply r = call(gemini, "gemini-2.5-flash", ONE_TURN);
        out.add(r.status == 429 ? "429" : r.body.at("/candidates/0/content/parts/0/text").asText()
            + r.body.get("usageMetadata"));
      }
    }
    return out;
  }

  @Test
  void unknownModelMalformedBodyAndWrongKeyUseGoogleErrorBodies() throws Exception {
    try (GeminiEmulator gemini = quiet().apiKey("secret").build().start()) {
      Reply wrongKey = call(gemini, "gemini-2.5-flash", ONE_TURN, "nope");
      assertThat(wrongKey.status).isEqualTo(400);
      assertThat(wrongKey.body.at("/error/message").asText()).startsWith("API key not valid");
      Reply model = call(gemini, "gpt-4", ONE_TURN, "secret");
      assertThat(model.status).isEqualTo(404);
      assertThat(model.body.toString()).isEqualTo("{\"error\":{\"code\":404,\"message\":\"models/gpt-4 is not found"
          + " for API version v1beta, or is not supported for generateContent.\",\"status\":\"NOT_FOUND\"}}");
      Reply malformed = call(gemini, "gemini-2.5-flash", "{\"contents\":", "secret");
      assertThat(malformed.status).isEqualTo(400);
      assertThat(malformed.body.at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
      assertThat(call(gemini, "gemini-2.5-flash", ONE_TURN, "secret").status).isEqualTo(200);
    }
  }

  private record Reply(int status, JsonNode body) {}

  private Reply call(GeminiEmulator gemini, String model, String body) throws IOException, InterruptedException {
    return call(gemini, model, body, "any");
  }

  private Reply call(GeminiEmulator gemini, String model, String body, String key)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(gemini.baseUrl() + "/v1beta/models/" + model + ":generateContent"))
        .header("Content-Type", "application/json").header("x-goog-api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }
}
