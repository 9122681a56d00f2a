package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One answer of {@link GeminiEmulator} to a {@code generateContent} request: its text (words drawn
 * from a seeded {@link Random}), finish reason and token counts, as one response or as the chunks
 * of {@code streamGenerateContent} (the text split over several chunks, {@code finishReason} and
 * {@code usageMetadata} on the last). Tokens are one per 4 characters; a conversation prefix of at
 * least {@code implicitCacheMinTokens} is reported as cached.
 *
 * <pre>{@code
 * GeminiAnswer a = GeminiAnswer.of("gemini-2.5-flash", request, 40, 120, 64, 7L);
 * a.response();       // {"candidates":[...],"usageMetadata":{...},"modelVersion":...,"responseId":...}
 * a.chunks(3);        // three chunks, usageMetadata on the last
 * }</pre>
 */
final class GeminiAnswer {

  private static final String[] WORDS = {"records", "table", "base", "field", "view", "summary", "customers",
      "status", "score", "trend", "workflow", "automation", "pipeline", "insight", "priority", "update", "metric",
      "quarter", "team", "project", "review", "launch", "signal", "report"};

  final String model;
  final String text;
  final String finishReason;
  final int promptTokens;
  final int cachedTokens;
  final int candidateTokens;
  final int thoughtsTokens;
  final int totalTokens;
  final String responseId;

  private GeminiAnswer(String model, String text, String finishReason, int promptTokens, int cachedTokens,
      int thoughtsTokens, String responseId) {
    this.model = model;
    this.text = text;
    this.finishReason = finishReason;
    this.promptTokens = promptTokens;
    this.cachedTokens = cachedTokens;
    this.candidateTokens = tokens(text);
    this.thoughtsTokens = thoughtsTokens;
    this.totalTokens = promptTokens + candidateTokens + thoughtsTokens;
    this.responseId = responseId;
  }

  /** The answer to {@code request} ({@code contents} checked non-empty by the caller). */
  static GeminiAnswer of(String model, JsonNode request, int outputWords, int thoughts, int implicitCacheMinTokens,
      long seed) {
    int prompt = promptTokens(request);
    int prefix = 0;
    ArrayNode contents = (ArrayNode) request.get("contents");
    for (int i = 0; i < contents.size() - 1; i++) {
      prefix += tokens(contents.get(i));
    }
    String text = words(lastUserText(contents), outputWords, seed);
    String finish = "STOP";
    int maxOutput = request.at("/generationConfig/maxOutputTokens").asInt(0);
    if (maxOutput > 0 && tokens(text) > maxOutput) {
      text = text.substring(0, maxOutput * 4);
      finish = "MAX_TOKENS";
    }
    return new GeminiAnswer(model, text, finish, prompt, prefix >= implicitCacheMinTokens ? prefix : 0, thoughts,
        Long.toUnsignedString(seed, 36));
  }

  /** The prompt's tokens: system instruction and every content. */
  static int promptTokens(JsonNode request) {
    int prompt = tokens(request.path("systemInstruction"));
    for (JsonNode c : request.path("contents")) {
      prompt += tokens(c);
    }
    return prompt;
  }

  /** The whole answer: Gemini's {@code GenerateContentResponse}. */
  ObjectNode response() {
    return chunk(text, true);
  }

  /** The answer as {@code n} stream chunks (fewer for a short text): text split by words, usage on the last. */
  List<ObjectNode> chunks(int n) {
    String[] words = text.split("(?<= )");
    int per = Math.max(1, (words.length + n - 1) / n);
    List<ObjectNode> chunks = new ArrayList<>();
    for (int start = 0; start < words.length; start += per) {
      StringBuilder part = new StringBuilder();
      for (int i = start; i < Math.min(words.length, start + per); i++) {
        part.append(words[i]);
      }
      chunks.add(chunk(part.toString(), start + per >= words.length));
    }
    return chunks;
  }

  private ObjectNode chunk(String part, boolean last) {
    ObjectNode body = LoopbackEmulator.MAPPER.createObjectNode();
    ObjectNode candidate = body.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").addObject().put("text", part);
    content.put("role", "model");
    if (last) {
      candidate.put("finishReason", finishReason);
    }
    candidate.put("index", 0);
    if (last) {
      ObjectNode usage = body.putObject("usageMetadata");
      usage.put("promptTokenCount", promptTokens);
      usage.put("candidatesTokenCount", candidateTokens);
      if (cachedTokens > 0) {
        usage.put("cachedContentTokenCount", cachedTokens);
      }
      if (thoughtsTokens > 0) {
        usage.put("thoughtsTokenCount", thoughtsTokens);
      }
      usage.put("totalTokenCount", totalTokens);
    }
    body.put("modelVersion", model);
    body.put("responseId", responseId);
    return body;
  }

  private static String lastUserText(ArrayNode contents) {
    StringBuilder text = new StringBuilder();
    contents.get(contents.size() - 1).path("parts").forEach(p -> text.append(p.path("text").asText()));
    return text.toString();
  }

  private static String words(String question, int count, long seed) {
    Random words = new Random(seed);
    String topic = question.strip();
    if (topic.length() > 40) {
      topic = topic.substring(0, 40);
    }
    StringBuilder text = new StringBuilder("About \"").append(topic).append("\": ");
    for (int i = 0; i < count; i++) {
      text.append(WORDS[words.nextInt(WORDS.length)]);
      text.append(i % 12 == 11 ? ". " : " ");
    }
    return text.toString().strip() + ".";
  }

  /** Gemini's rough token count: one token per 4 characters of every text part. */
  static int tokens(JsonNode content) {
    int chars = 0;
    for (JsonNode part : content.path("parts")) {
      chars += part.path("text").asText().length();
    }
    return (chars + 3) / 4;
  }

  /** The token count of a text, as {@link #tokens(JsonNode)} counts it. */
  static int tokens(String text) {
    return (text.length() + 3) / 4;
  }
}
