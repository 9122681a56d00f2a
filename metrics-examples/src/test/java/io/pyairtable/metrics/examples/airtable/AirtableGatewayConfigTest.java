package io.pyairtable.metrics.examples.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AirtableGatewayConfigTest {

  private static final URI EMULATOR = URI.create("http://127.0.0.1:9200");

  @Test
  void apiKeySelectsTheRealApiUnlessABaseUrlIsGiven() {
    AirtableGatewayConfig real = AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_API_KEY", " pat123 ", "AIRTABLE_MONTHLY_CALL_LIMIT", "500000"), EMULATOR, "emu").build();
    assertThat(real.upstream()).isEqualTo(URI.create(AirtableGatewayConfig.AIRTABLE_API));
    assertThat(real.apiToken()).isEqualTo("pat123");
    assertThat(real.monthlyCallLimit()).isEqualTo(500_000L);
    AirtableGatewayConfig proxied = AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_API_KEY", "pat123", "AIRTABLE_BASE_URL", "http://airtable-proxy:8080"), EMULATOR, "emu").build();
    assertThat(proxied.upstream()).isEqualTo(URI.create("http://airtable-proxy:8080"));
    AirtableGatewayConfig emulated = AirtableGatewayConfig.fromEnvironment(Map.of(), EMULATOR, "emu").build();
    assertThat(emulated.upstream()).isEqualTo(EMULATOR);
    assertThat(emulated.apiToken()).isEqualTo("emu");
    assertThat(emulated.monthlyCallLimit()).isEqualTo(100_000L);
  }

  @Test
  void invalidMonthlyCallLimitFailsNamingItsVariable() {
    assertThatThrownBy(() -> AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_MONTHLY_CALL_LIMIT", "100k"), EMULATOR, "emu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AIRTABLE_MONTHLY_CALL_LIMIT=\"100k\" is invalid: expected a whole number >= 1");
  }
}
