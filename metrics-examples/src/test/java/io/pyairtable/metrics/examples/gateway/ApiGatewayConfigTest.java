package io.pyairtable.metrics.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayConfigTest {

  @Test
  void apiKeysAreSplitOnCommasOrDefaultToTheDemoKey() {
    assertThat(ApiGatewayConfig.apiKeysFrom(Map.of("API_GATEWAY_KEYS", " k1, k2 ,,k3"))).containsExactly("k1", "k2", "k3");
    assertThat(ApiGatewayConfig.apiKeysFrom(Map.of("API_GATEWAY_KEYS", " "))).isEqualTo(List.of(ApiGatewayConfig.DEMO_API_KEY));
    assertThat(ApiGatewayConfig.apiKeysFrom(Map.of())).isEqualTo(List.of(ApiGatewayConfig.DEMO_API_KEY));
  }

  @Test
  void keysWithoutAnyKeyFailNamingTheVariable() {
    assertThatThrownBy(() -> ApiGatewayConfig.apiKeysFrom(Map.of("API_GATEWAY_KEYS", " , ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("API_GATEWAY_KEYS=\",\" is invalid: expected one or more API keys separated by commas");
  }
}
