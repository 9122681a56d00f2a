package io.pyairtable.metrics.examples.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gemini token prices, read from a JSON file so they can change without a release. The bundled
 * default is {@code llm/gemini-prices.json}: {@code {"per_tokens": 1000000, "models": {"<model>":
 * {"input": .., "cached": .., "output": ..}}}} in US dollars. Thinking tokens are billed at the
 * output price; cached prompt tokens at the cached price, the rest of the prompt at the input price.
 *
 * <pre>{@code
 * GeminiPriceTable prices = GeminiPriceTable.bundled();
 * GeminiPriceTable.Cost cost = prices.cost("gemini-2.5-flash", 1200, 80, 1000, 40).orElseThrow();
 * double usd = cost.total();
 * }</pre>
 */
public final class GeminiPriceTable {

  /** The bundled price table's resource name. */
  public static final String BUNDLED = "llm/gemini-prices.json";

  /** Prices of one model in US dollars per {@code perTokens} tokens. */
  public record Prices(double input, double cached, double output) {}

  /** The estimated cost of one call, in US dollars, by token type. */
  public record Cost(double input, double cached, double output, double thoughts) {
    public double total() {
      return input + cached + output + thoughts;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, Prices> models;
  private final double perTokens;

  private GeminiPriceTable(Map<String, Prices> models, double perTokens) {
    this.models = Map.copyOf(models);
    this.perTokens = perTokens;
  }

  /** The bundled default prices. */
  public static GeminiPriceTable bundled() {
    try (InputStream in = GeminiPriceTable.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUNDLED + " is missing from the classpath");
      }
      return parse(MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prices from a JSON file in the bundled format. */
  public static GeminiPriceTable load(Path file) {
    try {
      return parse(MAPPER.readTree(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price table " + file, e);
    }
  }

  /** Prices from JSON text in the bundled format. */
  public static GeminiPriceTable parse(String json) {
    try {
      return parse(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GeminiPriceTable parse(JsonNode root) {
    double perTokens = root.path("per_tokens").asDouble(1_000_000);
    if (!(perTokens > 0)) {
      throw new IllegalArgumentException("per_tokens must be positive");
    }
    JsonNode models = root.path("models");
    if (!models.isObject()) {
      throw new IllegalArgumentException("the price table needs a \"models\" object");
    }
    Map<String, Prices> prices = new HashMap<>();
    models.fields().forEachRemaining(e -> {
      JsonNode p = e.getValue();
      for (String field : new String[] {"input", "cached", "output"}) {
        if (!p.path(field).isNumber() || p.get(field).asDouble() < 0) {
          throw new IllegalArgumentException("model " + e.getKey() + " needs a non-negative number " + field);
        }
      }
      prices.put(e.getKey(), new Prices(p.get("input").asDouble(), p.get("cached").asDouble(),
          p.get("output").asDouble()));
    });
    return new GeminiPriceTable(prices, perTokens);
  }

  /** The prices of a model, if the table has them. */
  public Optional<Prices> prices(String model) {
    return Optional.ofNullable(models.get(model));
  }

  /**
   * The cost of one call from its {@code usageMetadata}; empty for a model the table does not
   * price. {@code promptTokens} includes the cached ones, as Gemini reports it.
   */
  public Optional<Cost> cost(String model, long promptTokens, long outputTokens, long cachedTokens,
      long thoughtsTokens) {
    Prices p = models.get(model);
    if (p == null) {
      return Optional.empty();
    }
    long uncached = Math.max(0, promptTokens - cachedTokens);
    return Optional.of(new Cost(uncached * p.input() / perTokens, cachedTokens * p.cached() / perTokens,
        outputTokens * p.output() / perTokens, thoughtsTokens * p.output() / perTokens));
  }
}
