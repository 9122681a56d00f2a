package io.pyairtable.metrics.examples.mcp;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.examples.config.ServiceConfigBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link McpServerService}. Without a sandbox folder the service creates a
 * temporary one with a few sample files (and deletes it on close). The Airtable tool calls the
 * Airtable gateway's HTTP API, by default on its demo port.
 *
 * <p>Environment variables read by {@link #fromEnvironment(Map)}: {@code MCP_PORT},
 * {@code MCP_HOST}, {@code MCP_SANDBOX_DIR}, {@code AIRTABLE_GATEWAY_URL},
 * {@code MCP_COMMAND_TIMEOUT_SECONDS} (whole seconds, or a duration such as {@code 500ms}). An
 * invalid value fails naming its variable (see {@link EnvironmentSettings}).
 *
 * <pre>{@code
 * McpConfig config = McpConfig.fromEnvironment(System.getenv()).port(8001).sandbox(Path.of("/srv/files"))
 *     .airtableGatewayUrl("http://127.0.0.1:8002").build();
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param sandbox the sandbox folder, or null: a temporary one with sample files
 * @param airtableGatewayUrl the Airtable gateway's base URL, without a trailing slash
 * @param commandTimeout how long run_command lets a process run before killing it
 * @param airtableTimeout the timeout of the Airtable tool's calls to the gateway
 */
public record McpConfig(String host, int port, Path sandbox, String airtableGatewayUrl, Duration commandTimeout,
    Duration airtableTimeout) {

  /** The MCP endpoint path. */
  public static final String ENDPOINT = "/mcp";

  /** Checks the settings; the gateway URL loses any trailing slash (tool calls append their paths). */
  public McpConfig {
    airtableGatewayUrl = Objects.requireNonNull(airtableGatewayUrl, "airtableGatewayUrl").replaceAll("/+$", "");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(airtableTimeout, "airtableTimeout");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding the defaults overridden by the environment variables listed in the class comment. */
  public static Builder fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Builder b = builder();
    settings.port("MCP_PORT").ifPresent(b::port);
    settings.string("MCP_HOST").ifPresent(b::host);
    settings.path("MCP_SANDBOX_DIR").ifPresent(b::sandbox);
    settings.url("AIRTABLE_GATEWAY_URL").map(URI::toString).ifPresent(b::airtableGatewayUrl);
    settings.duration("MCP_COMMAND_TIMEOUT_SECONDS").ifPresent(b::commandTimeout);
    return b;
  }

  /** Builder of {@link McpConfig}; defaults: loopback, a free port, the demo's Airtable gateway, 10 s commands. */
  public static final class Builder extends ServiceConfigBuilder<Builder> {
    private Path sandbox;
    private String airtableGatewayUrl = "http://127.0.0.1:" + ServiceCatalog.AIRTABLE_GATEWAY.defaultPort();
    private Duration commandTimeout = Duration.ofSeconds(10);
    private Duration airtableTimeout = Duration.ofSeconds(30);

    private Builder() {
      super(0);
    }

    public Builder sandbox(Path folder) {
      this.sandbox = folder;
      return this;
    }

    /** The Airtable gateway's base URL, for example {@code http://127.0.0.1:8002}. */
    public Builder airtableGatewayUrl(String url) {
      this.airtableGatewayUrl = url;
      return this;
    }

    /** How long run_command lets a process run before killing it. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    public Builder airtableTimeout(Duration timeout) {
      this.airtableTimeout = timeout;
      return this;
    }

    public McpConfig build() {
      return new McpConfig(host(), port(), sandbox, airtableGatewayUrl, commandTimeout, airtableTimeout);
    }
  }
}
