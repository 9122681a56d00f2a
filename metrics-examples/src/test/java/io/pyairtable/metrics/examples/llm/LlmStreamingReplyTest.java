package io.pyairtable.metrics.examples.llm;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.Exposition;
import io.pyairtable.metrics.examples.emulator.GeminiEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The orchestrator's streaming reply: SSE through Gemini's streamGenerateContent, tokens from the final chunk. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LlmStreamingReplyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gemini-2.5-flash";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aStreamedReplyArrivesInPartsAndItsTokensComeFromTheFinalChunk() throws Exception {
    MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("llm-orchestrator").jvmMetrics(false).initialize();
    try (GeminiEmulator gemini = GeminiEmulator.builder().latency(Duration.ofMillis(40), Duration.ofMillis(40))
        .resourceExhaustedProbability(0).build().start();
        LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.builder().geminiBaseUrl(gemini.baseUrl())
            .model(MODEL).build(), metrics)) {
      String session = JSON.readTree(post(llm, "/sessions", "{\"sessionType\":\"chat\"}").body())
          .get("sessionId").asText();

      HttpResponse<String> r = post(llm, "/sessions/" + session + "/messages/stream",
          "{\"message\":\"Which customers are at risk?\"}");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      List<String> types = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      JsonNode done = null;
      for (String event : r.body().split("\n\n")) {
        String[] lines = event.split("\n", 2);
        String type = lines[0].substring("event: ".length());
        JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
        types.add(type);
        if (type.equals("text")) {
          text.append(data.get("text").asText());
        } else {
          done = data;
        }
      }
      assertThat(types).hasSize(5).endsWith("done");
      assertThat(types.subList(0, 4)).containsOnly("text");
      assertThat(done.get("reply").asText()).isEqualTo(text.toString()).startsWith("About \"Which customers");
      assertThat(done.get("turns").asInt()).isEqualTo(1);
      assertThat(gemini.streamedResponses()).isEqualTo(1);

      GeminiEmulator.Usage sent = gemini.usage();
      assertThat(done.at("/usage/candidatesTokenCount").asLong()).isEqualTo(sent.candidatesTokens());
      Exposition s = Exposition.parse(metrics.exportMetrics());
      assertThat(s.value(GEMINI_TOKEN_USAGE_TOTAL.name(), "model", MODEL, "token_type", "input"))
          .isEqualTo(sent.promptTokens());
      assertThat(s.value(GEMINI_TOKEN_USAGE_TOTAL.name(), "model", MODEL, "token_type", "output"))
          .isEqualTo(sent.candidatesTokens());
      assertThat(s.value(GEMINI_TOKEN_USAGE_TOTAL.name(), "model", MODEL, "token_type", "thoughts"))
          .isEqualTo(sent.thoughtsTokens());
      assertThat(s.value(GEMINI_REQUESTS_TOTAL.name(), "model", MODEL, "operation", "streamGenerateContent",
          "status_code", "200")).isEqualTo(1.0);
      assertThat(s.sum(GEMINI_REQUESTS_TOTAL.name(), Map.of("operation", "generateContent"))).isZero();
      assertThat(s.value(LLM_CONVERSATION_TURNS_TOTAL.name(), "session_type", "chat")).isEqualTo(1.0);

      assertThat(post(llm, "/sessions/nope/messages/stream", "{\"message\":\"hi\"}").statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<String> post(LlmOrchestratorService llm, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + llm.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
