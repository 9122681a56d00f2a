package io.pyairtable.metrics.examples.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.pyairtable.metrics.LlmOrchestratorMetrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Calls Gemini's {@code generateContent} REST endpoint with {@code java.net.http}, behind a
 * Resilience4j circuit breaker ({@code gemini}) that counts 5xx answers and I/O errors as
 * failures. Every HTTP attempt lands in {@code gemini_requests_total} and
 * {@code gemini_request_duration_seconds} (status 0 when no answer came); a successful answer's
 * {@code usageMetadata} in {@code gemini_token_usage_total} (input, output, cached, thoughts) and,
 * priced by the {@link GeminiPriceTable}, in {@code llm_estimated_cost_usd_total}. A 429
 * {@code RESOURCE_EXHAUSTED} is retried after its {@code RetryInfo.retryDelay} when that is short
 * enough.
 *
 * <pre>{@code
 * GeminiClient gemini = new GeminiClient("http://127.0.0.1:9100", null, "gemini-2.5-flash",
 *     GeminiPriceTable.bundled(), metrics, LlmConfig.builder().build());
 * GeminiClient.Reply reply = gemini.generate(null, List.of(new GeminiClient.Turn("user", "Hello")));
 * }</pre>
 */
public final class GeminiClient {

  /** The operation label of {@code generateContent} calls. */
  public static final String OPERATION = "generateContent";
  /** The operation label of {@code streamGenerateContent} calls (server-sent events). */
  public static final String STREAM_OPERATION = "streamGenerateContent";
  /** The circuit breaker's name. */
  public static final String CIRCUIT = "gemini";

  /** One message of a conversation: role {@code user} or {@code model}. */
  public record Turn(String role, String text) {}

  /** Gemini's {@code usageMetadata}; absent fields are 0. */
  public record Usage(long promptTokens, long candidatesTokens, long cachedTokens, long thoughtsTokens,
      long totalTokens) {}

  /** A successful answer. */
  public record Reply(String text, String finishReason, Usage usage, int attempts) {}

  /** Gemini answered with an error (after retries), or could not be reached. */
  public static final class GeminiException extends RuntimeException {
    private final int status;
    private final String errorStatus;

    GeminiException(int status, String errorStatus, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.errorStatus = errorStatus;
    }

    /** The HTTP status Gemini answered, 0 when there was no answer, 503 when the breaker is open. */
    public int status() {
      return status;
    }

    /** Google's error status ({@code RESOURCE_EXHAUSTED}, ...), {@code UNAVAILABLE} without an answer. */
    public String errorStatus() {
      return errorStatus;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String endpoint;
  private final String streamEndpoint;
  private final String apiKey;
  private final String model;
  private final GeminiPriceTable prices;
  private final MetricsCollector collector;
  private final LlmOrchestratorMetrics llm;
  private final CircuitBreaker breaker;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration maxRetryDelay;

  public GeminiClient(String baseUrl, String apiKey, String model, GeminiPriceTable prices,
      MetricsCollector collector, LlmConfig config) {
    this.endpoint = baseUrl + "/v1beta/models/" + model + ":" + OPERATION;
    this.streamEndpoint = baseUrl + "/v1beta/models/" + model + ":" + STREAM_OPERATION + "?alt=sse";
    this.apiKey = apiKey;
    this.model = model;
    this.prices = prices;
    this.collector = collector;
    this.llm = collector.llmOrchestrator();
    this.breaker = CircuitBreakerMetrics.metricsEnabledCircuitBreaker(CIRCUIT, collector,
        config.breakerFailureThreshold(), config.breakerOpenTimeout());
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.requestTimeout = config.requestTimeout();
    this.maxRetries = config.maxRetries();
    this.maxRetryDelay = config.maxRetryDelay();
  }

  public String model() {
    return model;
  }

  public CircuitBreaker circuitBreaker() {
    return breaker;
  }

  /** Sends the conversation and returns Gemini's answer; throws {@link GeminiException} otherwise. */
  public Reply generate(String systemInstruction, List<Turn> conversation) {
    byte[] body = requestBody(systemInstruction, conversation);
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response = breaker.executeCallable(() -> send(body));
      } catch (CallNotPermittedException e) {
        throw new GeminiException(503, "CIRCUIT_OPEN", "the Gemini circuit breaker is open", e);
      } catch (GeminiException e) {
        throw e;
      } catch (Exception e) {
        throw new GeminiException(0, "UNAVAILABLE", "Gemini call failed: " + e, e);
      }
      JsonNode json = parse(response.body());
      if (response.statusCode() == 200) {
        return reply(json, attempt);
      }
      retryOrThrow(response.statusCode(), json, attempt);
    }
  }

  /**
   * Sends the conversation to {@code streamGenerateContent?alt=sse} and hands each text part to
   * {@code onText} as it arrives; returns the whole answer, its token usage (recorded in the
   * metrics) taken from the {@code usageMetadata} of the final chunk. The call is counted once,
   * with the duration of the whole stream. Retries and errors as {@link #generate}.
   */
  public Reply generateStream(String systemInstruction, List<Turn> conversation, Consumer<String> onText) {
    byte[] body = requestBody(systemInstruction, conversation);
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      HttpResponse<InputStream> response;
      try {
        response = breaker.executeCallable(() -> sendStream(body, start));
      } catch (CallNotPermittedException e) {
        throw new GeminiException(503, "CIRCUIT_OPEN", "the Gemini circuit breaker is open", e);
      } catch (GeminiException e) {
        throw e;
      } catch (Exception e) {
        throw new GeminiException(0, "UNAVAILABLE", "Gemini call failed", e);
      }
      if (response.statusCode() == 200) {
        return readStream(response.body(), start, attempt, onText);
      }
      JsonNode json;
      try (InputStream in = response.body()) {
        json = parse(in.readAllBytes());
      } catch (IOException e) {
        json = MAPPER.createObjectNode();
      }
      retryOrThrow(response.statusCode(), json, attempt);
    }
  }

  /** Returns after the pause of a retriable 429; throws {@link GeminiException} for anything else. */
  private void retryOrThrow(int statusCode, JsonNode json, int attempt) {
    String status = json.at("/error/status").asText("UNKNOWN");
    String message = json.at("/error/message").asText("Gemini answered " + statusCode);
    Duration delay = retryDelay(json);
    if (statusCode == 429 && attempt <= maxRetries && delay != null && delay.compareTo(maxRetryDelay) <= 0) {
      pause(delay);
      return;
    }
    throw new GeminiException(statusCode, status, message, null);
  }

  /** One streaming attempt up to its headers; a non-200 is counted now, a 200 when its stream ends. */
  private HttpResponse<InputStream> sendStream(byte[] body, long start) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(streamEndpoint)).timeout(requestTimeout)
        .header("Content-Type", "application/json").header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null) {
      request.header("x-goog-api-key", apiKey);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | InterruptedException e) {
      llm.recordGeminiRequest(model, STREAM_OPERATION, 0, seconds(start));
      throw e;
    }
    if (response.statusCode() != 200) {
      llm.recordGeminiRequest(model, STREAM_OPERATION, response.statusCode(), seconds(start));
    }
    if (response.statusCode() >= 500) {
      JsonNode json;
      try (InputStream in = response.body()) {
        json = parse(in.readAllBytes());
      }
      throw new GeminiException(response.statusCode(), json.at("/error/status").asText("UNKNOWN"),
          json.at("/error/message").asText("Gemini answered " + response.statusCode()), null);
    }
    return response;
  }

  private Reply readStream(InputStream body, long start, int attempts, Consumer<String> onText) {
    StringBuilder text = new StringBuilder();
    JsonNode usage = MAPPER.createObjectNode();
    String finishReason = "STOP";
    try (BufferedReader events = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = events.readLine()) != null) {
        if (!line.startsWith("data:")) {
          continue;
        }
        JsonNode chunk = parse(line.substring(5).trim().getBytes(StandardCharsets.UTF_8));
        JsonNode candidate = chunk.at("/candidates/0");
        for (JsonNode part : candidate.at("/content/parts")) {
          if (!part.path("thought").asBoolean(false) && part.has("text")) {
            text.append(part.get("text").asText());
            onText.accept(part.get("text").asText());
          }
        }
        if (candidate.hasNonNull("finishReason")) {
          finishReason = candidate.get("finishReason").asText();
        }
        if (chunk.has("usageMetadata")) {
          usage = chunk.get("usageMetadata");
        }
      }
    } catch (IOException e) {
      llm.recordGeminiRequest(model, STREAM_OPERATION, 0, seconds(start));
      throw new GeminiException(0, "UNAVAILABLE", "the Gemini stream broke off", e);
    } catch (RuntimeException e) {
      llm.recordGeminiRequest(model, STREAM_OPERATION, 200, seconds(start)); // Gemini answered; our caller left
      throw e;
    }
    llm.recordGeminiRequest(model, STREAM_OPERATION, 200, seconds(start));
    return new Reply(text.toString(), finishReason, recordUsage(usage), attempts);
  }

  /** One HTTP attempt, timed and counted; throws (a breaker failure) on I/O errors and 5xx. */
  private HttpResponse<byte[]> send(byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint)).timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null) {
      request.header("x-goog-api-key", apiKey);
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      llm.recordGeminiRequest(model, OPERATION, 0, seconds(start));
      throw e;
    }
    llm.recordGeminiRequest(model, OPERATION, response.statusCode(), seconds(start));
    if (response.statusCode() >= 500) {
      JsonNode json = parse(response.body());
      throw new GeminiException(response.statusCode(), json.at("/error/status").asText("UNKNOWN"),
          json.at("/error/message").asText("Gemini answered " + response.statusCode()), null);
    }
    return response;
  }

  private Reply reply(JsonNode json, int attempts) {
    Usage usage = recordUsage(json.path("usageMetadata"));
    StringBuilder text = new StringBuilder();
    JsonNode candidate = json.at("/candidates/0");
    candidate.at("/content/parts").forEach(p -> {
      if (!p.path("thought").asBoolean(false)) {
        text.append(p.path("text").asText());
      }
    });
    return new Reply(text.toString(), candidate.path("finishReason").asText("STOP"), usage, attempts);
  }

  /** Gemini's {@code usageMetadata} as token counters and estimated costs. */
  private Usage recordUsage(JsonNode usageJson) {
    Usage usage = new Usage(usageJson.path("promptTokenCount").asLong(),
        usageJson.path("candidatesTokenCount").asLong(), usageJson.path("cachedContentTokenCount").asLong(),
        usageJson.path("thoughtsTokenCount").asLong(), usageJson.path("totalTokenCount").asLong());
    llm.recordTokenUsage(model, usage.promptTokens(), usage.candidatesTokens(), usage.cachedTokens(),
        usage.thoughtsTokens());
    try {
      prices.cost(model, usage.promptTokens(), usage.candidatesTokens(), usage.cachedTokens(), usage.thoughtsTokens())
          .ifPresent(cost -> {
            llm.recordEstimatedCost(model, "input", cost.input());
            llm.recordEstimatedCost(model, "cached", cost.cached());
            llm.recordEstimatedCost(model, "output", cost.output());
            llm.recordEstimatedCost(model, "thoughts", cost.thoughts());
          });
    } catch (RuntimeException e) {
      collector.containFailure("llm_estimated_cost", e);
    }
    return usage;
  }

  private static byte[] requestBody(String systemInstruction, List<Turn> conversation) {
    ObjectNode request = MAPPER.createObjectNode();
    ArrayNode contents = request.putArray("contents");
    for (Turn turn : conversation) {
      ObjectNode content = contents.addObject();
      content.put("role", turn.role());
      content.putArray("parts").addObject().put("text", turn.text());
    }
    if (systemInstruction != null && !systemInstruction.isBlank()) {
      request.putObject("systemInstruction").putArray("parts").addObject().put("text", systemInstruction);
    }
    try {
      return MAPPER.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code RetryInfo.retryDelay} of an error body ("2s", "1.5s"), or null. */
  static Duration retryDelay(JsonNode error) {
    for (JsonNode detail : error.at("/error/details")) {
      if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
        String delay = detail.path("retryDelay").asText("");
        if (delay.endsWith("s")) {
          try {
            return Duration.ofMillis(Math.round(Double.parseDouble(delay.substring(0, delay.length() - 1)) * 1000));
          } catch (NumberFormatException e) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = MAPPER.readTree(body);
      return json == null ? MAPPER.createObjectNode() : json;
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GeminiException(0, "CANCELLED", "interrupted while waiting to retry", e);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
