package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback emulator of the Gemini API's {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent} ({@code ?alt=sse}: server-sent events, else a JSON array of the
 * chunks; the text spread over several chunks, {@code finishReason} and {@code usageMetadata} on
 * the last) and {@code :countTokens} ({@code totalTokens} of {@code contents}, or of a
 * {@code generateContentRequest}):
 * Gemini's request and response JSON, {@code usageMetadata} with prompt, candidates, cached and
 * thoughts token counts, a latency, and now and then 429 {@code RESOURCE_EXHAUSTED} with a
 * {@code RetryInfo} retry delay. Everything random comes from a seeded {@link Random}, so a
 * sequence of calls is reproducible. Tokens are counted as Gemini roughly does (4 characters a
 * token); a conversation prefix of at least {@code implicitCacheMinTokens} is reported as cached
 * (Gemini's implicit caching); models of the 2.5 family report thinking tokens unless
 * {@code thinkingBudget} is 0. {@link #usage()} sums every {@code usageMetadata} it sent.
 *
 * <pre>{@code
 * try (GeminiEmulator gemini = GeminiEmulator.builder().seed(7).build().start()) {
 *   // POST gemini.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent"
 *   //   {"contents":[{"role":"user","parts":[{"text":"Summarise my Airtable base"}]}]}
 *   GeminiEmulator.Usage sent = gemini.usage();
 * }
 * }</pre>
 */
public final class GeminiEmulator extends LoopbackEmulator<GeminiEmulator> {

  /** Sums of the {@code usageMetadata} fields of every successful response sent. */
  public record Usage(long promptTokens, long candidatesTokens, long cachedContentTokens, long thoughtsTokens,
      long totalTokens) {}

  /** How many chunks a streamed answer is split into (fewer for a short one). */
  static final int STREAM_CHUNKS = 4;

  private final Builder config;
  private final Random random;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong exhausted = new AtomicLong();
  private final AtomicInteger forcedExhausted = new AtomicInteger();
  private final AtomicLong prompt = new AtomicLong();
  private final AtomicLong candidates = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();
  private final AtomicLong thoughts = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong streams = new AtomicLong();

  private GeminiEmulator(Builder config) {
    super("gemini-emulator", config);
    this.config = config;
    this.random = new Random(config.seed);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  void routes(JavalinConfig c) {
    c.routes.post("/v1beta/models/{modelAction}", this::handle);
  }

  private void handle(Context ctx) {
    requests.incrementAndGet();
    String[] modelAction = ctx.pathParam("modelAction").split(":", 2);
    String model = modelAction[0];
    if (config.apiKey != null && !config.apiKey.equals(keyOf(ctx))) {
      error(ctx, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
      return;
    }
    String action = modelAction.length == 2 ? modelAction[1] : "";
    if (!List.of("generateContent", "streamGenerateContent", "countTokens").contains(action)
        || !model.startsWith("gemini-")) {
      error(ctx, 404, "NOT_FOUND", "models/" + model + " is not found for API version v1beta, or is not supported"
          + " for " + (modelAction.length == 2 ? modelAction[1] : "this method") + ".");
      return;
    }
    JsonNode request;
    try {
      request = MAPPER.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      error(ctx, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
      return;
    }
    if (action.equals("countTokens") && request != null && request.has("generateContentRequest")) {
      request = request.get("generateContentRequest");
    }
    if (request == null || !request.path("contents").isArray() || request.get("contents").isEmpty()) {
      error(ctx, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
      return;
    }
    if (action.equals("countTokens")) {
      int tokens = GeminiAnswer.promptTokens(request);
      ObjectNode body = MAPPER.createObjectNode().put("totalTokens", tokens);
      body.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", tokens);
      json(ctx, 200, body);
      return;
    }
    Draw draw = draw(model, request);
    pause(draw.latencyMillis);
    if (draw.exhausted) {
      exhausted.incrementAndGet();
      resourceExhausted(ctx, model);
      return;
    }
    GeminiAnswer answer = GeminiAnswer.of(model, request, draw.outputWords, draw.thoughts,
        config.implicitCacheMinTokens, draw.idSeed);
    count(answer);
    if (action.equals("generateContent")) {
      json(ctx, 200, answer.response());
    } else if ("sse".equals(ctx.queryParam("alt"))) {
      streams.incrementAndGet();
      stream(ctx, answer.chunks(STREAM_CHUNKS), draw.latencyMillis);
    } else {
      ArrayNode chunks = MAPPER.createArrayNode();
      answer.chunks(STREAM_CHUNKS).forEach(chunks::add);
      json(ctx, 200, chunks);
    }
  }

  /** Server-sent events, one chunk each, spread over the call's latency (Gemini's {@code alt=sse}). */
  private static void stream(Context ctx, List<ObjectNode> chunks, long latencyMillis) {
    ctx.status(200).contentType("text/event-stream");
    try {
      OutputStream out = ctx.res().getOutputStream();
      for (int i = 0; i < chunks.size(); i++) {
        if (i > 0) {
          pause(latencyMillis / chunks.size());
        }
        out.write(("data: " + MAPPER.writeValueAsString(chunks.get(i)) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // the client left mid-stream: nothing more to send
    }
  }

  private void count(GeminiAnswer answer) {
    prompt.addAndGet(answer.promptTokens);
    candidates.addAndGet(answer.candidateTokens);
    cached.addAndGet(answer.cachedTokens);
    thoughts.addAndGet(answer.thoughtsTokens);
    total.addAndGet(answer.totalTokens);
  }

  private static String keyOf(Context ctx) {
    String header = ctx.header("x-goog-api-key");
    return header != null ? header : ctx.queryParam("key");
  }

  /** Every random choice of one call, drawn at once so the sequence is reproducible. */
  private record Draw(long latencyMillis, boolean exhausted, int outputWords, int thoughts, long idSeed) {}

  private Draw draw(String model, JsonNode request) {
    boolean forced = forcedExhausted.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    synchronized (random) {
      long min = config.minLatency.toMillis();
      long span = config.maxLatency.toMillis() - min;
      long latency = min + (span > 0 ? (long) (random.nextDouble() * (span + 1)) : 0);
      boolean exhaustedNow = forced || random.nextDouble() < config.resourceExhaustedProbability;
      int words = 15 + random.nextInt(120);
      int thinking = thinks(model, request) ? 16 + random.nextInt(240) : 0;
      int budget = request.at("/generationConfig/thinkingConfig/thinkingBudget").asInt(-1);
      if (budget > 0) {
        thinking = Math.min(thinking, budget);
      }
      return new Draw(latency, exhaustedNow, words, thinking, random.nextLong());
    }
  }

  private static boolean thinks(String model, JsonNode request) {
    return model.contains("2.5") && request.at("/generationConfig/thinkingConfig/thinkingBudget").asInt(-1) != 0;
  }

  private void resourceExhausted(Context ctx, String model) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", 429);
    error.put("message", "You exceeded your current quota, please check your plan and billing details.");
    error.put("status", "RESOURCE_EXHAUSTED");
    ArrayNode details = error.putArray("details");
    ObjectNode quota = details.addObject();
    quota.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
    ObjectNode violation = quota.putArray("violations").addObject();
    violation.put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests");
    violation.put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
    violation.putObject("quotaDimensions").put("model", model).put("location", "global");
    ObjectNode retry = details.addObject();
    retry.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
    retry.put("retryDelay", config.retryDelay.toSeconds() + "s");
    json(ctx, 429, body);
  }

  private static void error(Context ctx, int code, String status, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    error.put("status", status);
    json(ctx, code, body);
  }

  /** The next {@code count} requests answer 429 {@code RESOURCE_EXHAUSTED} (for tests and fault drills). */
  public void exhaustNext(int count) {
    forcedExhausted.set(count);
  }

  /** Sums of every {@code usageMetadata} this emulator sent. */
  public Usage usage() {
    return new Usage(prompt.get(), candidates.get(), cached.get(), thoughts.get(), total.get());
  }

  /** Requests received ({@code generateContent}, {@code streamGenerateContent}, {@code countTokens}). */
  public long requests() {
    return requests.get();
  }

  /** Answers sent as server-sent events ({@code streamGenerateContent?alt=sse}). */
  public long streamedResponses() {
    return streams.get();
  }

  /** 429 {@code RESOURCE_EXHAUSTED} answers sent. */
  public long resourceExhaustedResponses() {
    return exhausted.get();
  }

  /** Settings of a {@link GeminiEmulator}. */
  public static final class Builder extends Settings<Builder> {
    private String apiKey;
    private double resourceExhaustedProbability = 0.03;
    private Duration retryDelay = Duration.ofSeconds(1);
    private int implicitCacheMinTokens = 64;

    /** Latency 40-160 ms, seed 42, a free port. */
    private Builder() {
      super(Duration.ofMillis(40), Duration.ofMillis(160));
    }

    /** The key requests must send ({@code x-goog-api-key} or {@code ?key=}); null (default) accepts any. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The share of calls answered 429 {@code RESOURCE_EXHAUSTED} (default 0.03). */
    public Builder resourceExhaustedProbability(double probability) {
      if (probability < 0 || probability > 1) {
        throw new IllegalArgumentException("probability must be within [0, 1]");
      }
      this.resourceExhaustedProbability = probability;
      return this;
    }

    /** The {@code retryDelay} a 429 announces (whole seconds). */
    public Builder retryDelay(Duration delay) {
      this.retryDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** The conversation-prefix size from which tokens are reported as cached (default 64). */
    public Builder implicitCacheMinTokens(int tokens) {
      this.implicitCacheMinTokens = tokens;
      return this;
    }

    /** An emulator not started yet. */
    public GeminiEmulator build() {
      return new GeminiEmulator(this);
    }
  }
}
