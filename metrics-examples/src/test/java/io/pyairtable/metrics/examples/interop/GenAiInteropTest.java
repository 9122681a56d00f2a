package io.pyairtable.metrics.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.examples.emulator.GeminiEmulator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @google/genai} (the official SDK) against the Gemini emulator: generateContent, streaming and countTokens. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GenAiInteropTest {

  private static final String QUESTION = "Which Airtable customers are at risk?";

  @Test
  void theGenAiSdkGeneratesStreamsAndCountsTokensAndItsUsageEqualsWhatTheEmulatorSent() throws Exception {
    try (GeminiEmulator gemini = GeminiEmulator.builder().latency(Duration.ofMillis(20), Duration.ofMillis(20))
        .resourceExhaustedProbability(0).build().start()) {

      JsonNode seen = InteropNode.run("genai-client.mjs", Duration.ofSeconds(90), gemini.baseUrl(), "gemini-2.5-flash");

      assertThat(seen.path("failure").isMissingNode()).as(seen.toString()).isTrue();
      JsonNode one = seen.get("usage");
      JsonNode streamed = seen.get("streamUsage");
      assertThat(seen.get("streamChunks").asInt()).isEqualTo(4);
      assertThat(one.get("candidatesTokenCount").asInt()).isEqualTo((seen.get("text").asInt() + 3) / 4);
      assertThat(streamed.get("candidatesTokenCount").asInt()).isEqualTo((seen.get("streamText").asInt() + 3) / 4);
      assertThat(one.get("promptTokenCount").asInt()).isEqualTo((QUESTION.length() + 3) / 4);
      assertThat(seen.get("countTokens").asInt()).isEqualTo((QUESTION.length() + 3) / 4);
      GeminiEmulator.Usage sent = gemini.usage();
      assertThat(sent.promptTokens()).isEqualTo(one.get("promptTokenCount").asLong()
          + streamed.get("promptTokenCount").asLong());
      assertThat(sent.candidatesTokens()).isEqualTo(one.get("candidatesTokenCount").asLong()
          + streamed.get("candidatesTokenCount").asLong());
      assertThat(sent.thoughtsTokens()).isEqualTo(one.get("thoughtsTokenCount").asLong()
          + streamed.get("thoughtsTokenCount").asLong());
      assertThat(sent.totalTokens()).isEqualTo(one.get("totalTokenCount").asLong()
          + streamed.get("totalTokenCount").asLong());
      assertThat(gemini.requests()).isEqualTo(3);
      assertThat(gemini.streamedResponses()).isEqualTo(1);
    }
  }
}
