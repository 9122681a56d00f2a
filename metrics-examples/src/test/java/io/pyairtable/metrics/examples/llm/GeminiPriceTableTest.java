package io.pyairtable.metrics.examples.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeminiPriceTableTest {

  @Test
  void cachedPromptTokensArePricedApartAndThoughtsAtTheOutputPrice() {
    GeminiPriceTable.Cost cost = GeminiPriceTable.bundled().cost("gemini-2.5-flash", 1_200, 80, 1_000, 40)
        .orElseThrow();
    assertThat(cost.input()).isCloseTo(200 * 0.30 / 1e6, within(1e-15));
    assertThat(cost.cached()).isCloseTo(1_000 * 0.03 / 1e6, within(1e-15));
    assertThat(cost.output()).isCloseTo(80 * 2.50 / 1e6, within(1e-15));
    assertThat(cost.thoughts()).isCloseTo(40 * 2.50 / 1e6, within(1e-15));
    assertThat(GeminiPriceTable.bundled().cost("gemini-unknown", 1, 1, 0, 0)).isEmpty();
  }

  @Test
  void aPriceFileReplacesTheBundledTable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"per_tokens\":1000,\"models\":{\"gemini-x\":{\"input\":1,\"cached\":0.5,\"output\":2}}}");
    LlmConfig config = LlmConfig.fromEnvironment(Map.of("LLM_PRICE_TABLE", file.toString())).build();
    GeminiPriceTable table = GeminiPriceTable.load(Path.of(config.priceTablePath()));
    assertThat(table.prices("gemini-x")).contains(new GeminiPriceTable.Prices(1, 0.5, 2));
    assertThat(table.cost("gemini-x", 10, 5, 4, 0).orElseThrow().total()).isCloseTo((6 + 2 + 10) / 1000.0,
        within(1e-15));
    assertThat(table.prices("gemini-2.5-flash")).isEmpty();
  }

  @Test
  void malformedTablesAreRejected() {
    assertThatThrownBy(() -> GeminiPriceTable.parse("{\"models\":{\"m\":{\"input\":1,\"output\":2}}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cached");
    assertThatThrownBy(() -> GeminiPriceTable.parse("{\"models\":{\"m\":{\"input\":-1,\"cached\":0,\"output\":2}}}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiPriceTable.parse("{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void environmentVariablesAreRead() {
    LlmConfig config = LlmConfig.fromEnvironment(Map.of("LLM_PORT", "8103", "LLM_HOST", "0.0.0.0",
        "GEMINI_API_KEY", "k", "GEMINI_BASE_URL", "http://127.0.0.1:9/", "GEMINI_MODEL", "gemini-2.5-pro",
        "LLM_DATABASE_URL", "jdbc:postgresql://db/llm", "LLM_DATABASE_USER", "u", "LLM_DATABASE_PASSWORD", "p")).build();
    assertThat(config.port()).isEqualTo(8103);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.geminiApiKey()).isEqualTo("k");
    assertThat(config.geminiBaseUrl()).isEqualTo("http://127.0.0.1:9");
    assertThat(config.model()).isEqualTo("gemini-2.5-pro");
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db/llm");
    assertThat(config.jdbcUser()).isEqualTo("u");
    assertThat(config.jdbcPassword()).isEqualTo("p");
    LlmConfig defaults = LlmConfig.fromEnvironment(Map.of()).build();
    assertThat(defaults.geminiBaseUrl()).isNull();
    assertThat(defaults.jdbcUrl()).isNull();
    assertThat(defaults.model()).isEqualTo(LlmConfig.DEFAULT_MODEL);
  }
}
