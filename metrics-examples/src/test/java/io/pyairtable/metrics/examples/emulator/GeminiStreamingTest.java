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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gemini's streamGenerateContent (SSE and JSON array) and countTokens. */
class GeminiStreamingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ONE_TURN =
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Summarise the Customers table\"}]}]}";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void streamGenerateContentWithAltSseSendsChunksWithUsageMetadataOnTheLast() throws Exception {
    try (GeminiEmulator gemini = quiet().start()) {
      HttpResponse<String> r = post(gemini, "gemini-2.5-flash:streamGenerateContent?alt=sse", ONE_TURN);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      List<JsonNode> chunks = new ArrayList<>();
      for (String event : r.body().split("\r\n\r\n")) {
        assertThat(event).startsWith("data: ");
        chunks.add(JSON.readTree(event.substring("data: ".length())));
      }
      assertThat(chunks).hasSize(GeminiEmulator.STREAM_CHUNKS);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < chunks.size(); i++) {
        JsonNode c = chunks.get(i);
        text.append(c.at("/candidates/0/content/parts/0/text").asText());
        assertThat(c.has("usageMetadata")).isEqualTo(i == chunks.size() - 1);
        assertThat(c.at("/candidates/0/finishReason").isMissingNode()).isEqualTo(i < chunks.size() - 1);
      }
      JsonNode usage = chunks.get(chunks.size() - 1).get("usageMetadata");
      assertThat(text.toString()).startsWith("About \"Summarise the Customers table\": ");
      assertThat(usage.get("candidatesTokenCount").asInt()).isEqualTo((text.length() + 3) / 4);
      assertThat(gemini.usage().candidatesTokens()).isEqualTo(usage.get("candidatesTokenCount").asLong());
      assertThat(gemini.usage().totalTokens()).isEqualTo(usage.get("totalTokenCount").asLong());
      assertThat(gemini.streamedResponses()).isEqualTo(1);
    }
  }

  @Test
  void streamGenerateContentWithoutAltAnswersTheChunksAsAJsonArray() throws Exception {
    try (GeminiEmulator gemini = quiet().start()) {
      HttpResponse<String> r = post(gemini, "gemini-2.0-flash:streamGenerateContent", ONE_TURN);
      JsonNode chunks = JSON.readTree(r.body());
      assertThat(chunks.isArray()).isTrue();
      assertThat(chunks).hasSize(GeminiEmulator.STREAM_CHUNKS);
      assertThat(chunks.get(GeminiEmulator.STREAM_CHUNKS - 1).at("/usageMetadata/promptTokenCount").asInt())
          .isEqualTo(("Summarise the Customers table".length() + 3) / 4);
      assertThat(gemini.streamedResponses()).isZero();
    }
  }

  @Test
  void countTokensCountsContentsOrAGenerateContentRequestWithoutUsingTheQuota() throws Exception {
    try (GeminiEmulator gemini = quiet().start()) {
      JsonNode plain = JSON.readTree(post(gemini, "gemini-2.5-flash:countTokens", ONE_TURN).body());
      JsonNode wrapped = JSON.readTree(post(gemini, "gemini-2.5-flash:countTokens", "{\"generateContentRequest\":"
          + "{\"model\":\"models/gemini-2.5-flash\",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"12345678\"}]}],"
          + "\"systemInstruction\":{\"parts\":[{\"text\":\"1234\"}]}}}").body());

      assertThat(plain.toString()).isEqualTo("{\"totalTokens\":8,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}]}");
      assertThat(wrapped.get("totalTokens").asInt()).isEqualTo(3);
      assertThat(gemini.usage().totalTokens()).isZero();
    }
  }

  private static GeminiEmulator quiet() {
    return GeminiEmulator.builder().latency(Duration.ZERO, Duration.ZERO).resourceExhaustedProbability(0).build();
  }

  private HttpResponse<String> post(GeminiEmulator gemini, String modelAction, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gemini.baseUrl() + "/v1beta/models/" + modelAction))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
