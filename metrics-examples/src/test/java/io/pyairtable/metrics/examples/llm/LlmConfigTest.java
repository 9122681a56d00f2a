package io.pyairtable.metrics.examples.llm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmConfigTest {

  @Test
  void portOutOfRangeFailsNamingItsVariable() {
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("LLM_PORT", "80030")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LLM_PORT=\"80030\" is invalid: expected a port number from 0 to 65535");
  }

  @Test
  void geminiBaseUrlWithoutSchemeFailsNamingItsVariable() {
    assertThatThrownBy(() -> LlmConfig.fromEnvironment(Map.of("GEMINI_BASE_URL", "127.0.0.1:9100")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GEMINI_BASE_URL=\"127.0.0.1:9100\" is invalid: expected an absolute http:// or https:// URL"
            + " such as http://127.0.0.1:8002");
  }
}
