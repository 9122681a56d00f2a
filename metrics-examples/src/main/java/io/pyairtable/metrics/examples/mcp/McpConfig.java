package io.pyairtable.metrics.examples.mcp;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
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
 * McpConfig config = McpConfig.builder().port(8001).sandbox(Path.of("/srv/files"))
 *     .airtableGatewayUrl("http://127.0.0.1:8002").build();
 * }</pre>
 */
public final class McpConfig {

  /** The MCP endpoint path. */
  public static final String ENDPOINT = "/mcp";

  private final int port;
  private final String host;
  private final Path sandbox;
  private final String airtableGatewayUrl;
  private final Duration commandTimeout;
  private final Duration airtableTimeout;
  private final MetricsCollector collector;

  private McpConfig(Builder b) {
    this.port = b.port;
    this.host = b.host;
    this.sandbox = b.sandbox;
    this.airtableGatewayUrl = b.airtableGatewayUrl;
    this.commandTimeout = b.commandTimeout;
    this.airtableTimeout = b.airtableTimeout;
    this.collector = b.collector;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults overridden by the environment variables listed in the class comment. */
  public static McpConfig fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Builder b = builder();
    settings.port("MCP_PORT").ifPresent(b::port);
    settings.string("MCP_HOST").ifPresent(b::host);
    settings.path("MCP_SANDBOX_DIR").ifPresent(b::sandbox);
    settings.url("AIRTABLE_GATEWAY_URL").map(URI::toString).ifPresent(b::airtableGatewayUrl);
    settings.duration("MCP_COMMAND_TIMEOUT_SECONDS").ifPresent(b::commandTimeout);
    return b.build();
  }

  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  /** The sandbox folder, or null: a temporary one with sample files. */
  public Path sandbox() {
    return sandbox;
  }

  public String airtableGatewayUrl() {
    return airtableGatewayUrl;
  }

  public Duration commandTimeout() {
    return commandTimeout;
  }

  public Duration airtableTimeout() {
    return airtableTimeout;
  }

  /** A collector to record into, or null: the service creates its own. */
  public MetricsCollector collector() {
    return collector;
  }

  /** Builder of {@link McpConfig}. */
  public static final class Builder {
    private int port;
    private String host = "127.0.0.1";
    private Path sandbox;
    private String airtableGatewayUrl = "http://127.0.0.1:" + ServiceCatalog.AIRTABLE_GATEWAY.defaultPort();
    private Duration commandTimeout = Duration.ofSeconds(10);
    private Duration airtableTimeout = Duration.ofSeconds(30);
    private MetricsCollector collector;

    private Builder() {}

    /** The HTTP port; 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The address to listen on (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder sandbox(Path folder) {
      this.sandbox = folder;
      return this;
    }

    /** The Airtable gateway's base URL, for example {@code http://127.0.0.1:8002}. */
    public Builder airtableGatewayUrl(String url) {
      this.airtableGatewayUrl = Objects.requireNonNull(url, "url").replaceAll("/+$", "");
      return this;
    }

    /** How long run_command lets a process run before killing it. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder airtableTimeout(Duration timeout) {
      this.airtableTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Records into this collector instead of one the service creates. */
    public Builder collector(MetricsCollector collector) {
      this.collector = collector;
      return this;
    }

    public McpConfig build() {
      return new McpConfig(this);
    }
  }
}
