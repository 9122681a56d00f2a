package io.pyairtable.metrics.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpConfigTest {

  @Test
  void environmentVariablesAreRead() {
    McpConfig config = McpConfig.fromEnvironment(Map.of("MCP_PORT", "8101", "MCP_HOST", "0.0.0.0",
        "MCP_SANDBOX_DIR", "/srv/files", "AIRTABLE_GATEWAY_URL", "http://gw:8002/", "MCP_COMMAND_TIMEOUT_SECONDS", "3"))
        .build();
    assertThat(config.port()).isEqualTo(8101);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.sandbox()).isEqualTo(Path.of("/srv/files"));
    assertThat(config.airtableGatewayUrl()).isEqualTo("http://gw:8002");
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void defaultsPointAtTheDemoAirtableGateway() {
    McpConfig config = McpConfig.fromEnvironment(Map.of()).build();
    assertThat(config.airtableGatewayUrl())
        .isEqualTo("http://127.0.0.1:" + ServiceCatalog.AIRTABLE_GATEWAY.defaultPort());
    assertThat(config.sandbox()).isNull();
    assertThat(config.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void invalidCommandTimeoutFailsNamingItsVariable() {
    assertThatThrownBy(() -> McpConfig.fromEnvironment(Map.of("MCP_COMMAND_TIMEOUT_SECONDS", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MCP_COMMAND_TIMEOUT_SECONDS=\"soon\" is invalid: expected a duration such as 250ms, 5s, 2m or 1h"
            + " (a bare whole number means seconds)");
  }
}
