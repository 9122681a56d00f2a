package io.pyairtable.metrics.examples.gateway;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.examples.config.ServiceConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link ApiGatewayService}: where it listens, its three backends, the API keys it
 * accepts ({@code API_GATEWAY_KEYS}, comma-separated), how often backends are health-checked and
 * how its per-backend circuit breakers behave.
 *
 * <pre>{@code
 * ApiGatewayConfig config = ApiGatewayConfig.fromEnvironment(System.getenv())
 *     .port(8000)
 *     .backends(URI.create("http://127.0.0.1:8002"), URI.create("http://127.0.0.1:8001"), URI.create("http://127.0.0.1:8003"))
 *     .build();
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param airtableGateway the Airtable gateway's base URL
 * @param mcpServer the MCP server's base URL
 * @param llmOrchestrator the LLM orchestrator's base URL
 * @param apiKeys the accepted API keys
 * @param healthInterval how often the backends' {@code /health} is checked
 * @param backendTimeout the request timeout of plain requests, up to the backend's headers
 * @param breakerFailureThreshold consecutive backend failures that open its breaker
 * @param breakerOpenDuration how long a breaker stays open
 * @param streamHeartbeat how often a quiet event stream gets an SSE comment line (default 15 s)
 * @param streamIdleTimeout how long an event stream may stay without a byte from its backend (default 5 min)
 */
public record ApiGatewayConfig(String host, int port, URI airtableGateway, URI mcpServer, URI llmOrchestrator,
    List<String> apiKeys, Duration healthInterval, Duration backendTimeout, int breakerFailureThreshold,
    Duration breakerOpenDuration, Duration streamHeartbeat, Duration streamIdleTimeout) {

  /** The key the demo uses when {@code API_GATEWAY_KEYS} is not set. */
  public static final String DEMO_API_KEY = "pyairtable-demo-key";

  /** Checks the settings; the keys are copied (an immutable list). */
  public ApiGatewayConfig {
    apiKeys = List.copyOf(apiKeys);
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(airtableGateway, "airtable gateway backend");
    Objects.requireNonNull(mcpServer, "mcp server backend");
    Objects.requireNonNull(llmOrchestrator, "llm orchestrator backend");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding the settings from the environment: the API keys ({@link #apiKeysFrom}) and
   * the backends' URLs {@code AIRTABLE_GATEWAY_URL}, {@code MCP_SERVER_URL} and
   * {@code LLM_ORCHESTRATOR_URL} (default: loopback on their catalogue ports, 8002, 8001 and 8003),
   * as the Kubernetes workloads' ConfigMap sets them. An invalid URL fails naming its variable.
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    return builder().apiKeys(apiKeysFrom(env)).backends(
        backendUrl(settings, ServiceCatalog.AIRTABLE_GATEWAY),
        backendUrl(settings, ServiceCatalog.MCP_SERVER),
        backendUrl(settings, ServiceCatalog.LLM_ORCHESTRATOR));
  }

  private static URI backendUrl(EnvironmentSettings settings, ServiceCatalog backend) {
    String variable = backend.serviceName().toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
    return settings.url(variable).orElse(URI.create("http://127.0.0.1:" + backend.defaultPort()));
  }

  /**
   * The API keys from {@code API_GATEWAY_KEYS} (comma-separated), or the demo key when it is unset or
   * blank; a value without any key (such as {@code ","}) fails naming the variable.
   */
  public static List<String> apiKeysFrom(Map<String, String> env) {
    return new EnvironmentSettings(env).string("API_GATEWAY_KEYS").map(ApiGatewayConfig::apiKeys)
        .orElse(List.of(DEMO_API_KEY));
  }

  private static List<String> apiKeys(String value) {
    List<String> keys = Arrays.stream(value.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("API_GATEWAY_KEYS=\"" + value
          + "\" is invalid: expected one or more API keys separated by commas");
    }
    return keys;
  }

  /** No key: how many keys there are instead. */
  @Override
  public String toString() {
    return "ApiGatewayConfig[" + host + ":" + port + ", backends=" + airtableGateway + ", " + mcpServer + ", "
        + llmOrchestrator + ", " + apiKeys.size() + " API key(s)]";
  }

  /** Builder; defaults: loopback, port 8000, the demo key, health checks every 5 s, 30 s backend timeout. */
  public static final class Builder extends ServiceConfigBuilder<Builder> {
    private URI airtableGateway;
    private URI mcpServer;
    private URI llmOrchestrator;
    private List<String> apiKeys = List.of(DEMO_API_KEY);
    private Duration healthInterval = Duration.ofSeconds(5);
    private Duration backendTimeout = Duration.ofSeconds(30);
    private int breakerFailureThreshold = 5;
    private Duration breakerOpenDuration = Duration.ofSeconds(30);
    private Duration streamHeartbeat = Duration.ofSeconds(15);
    private Duration streamIdleTimeout = Duration.ofMinutes(5);

    private Builder() {
      super(ServiceCatalog.API_GATEWAY.defaultPort());
    }

    /**
     * The idle/heartbeat policy of event streams, which get no request timeout: a comment line
     * every {@code heartbeat} while the backend is quiet, closed after {@code idleTimeout} without a
     * byte from it.
     */
    public Builder streams(Duration heartbeat, Duration idleTimeout) {
      this.streamHeartbeat = heartbeat;
      this.streamIdleTimeout = idleTimeout;
      return this;
    }

    public Builder backends(URI airtableGateway, URI mcpServer, URI llmOrchestrator) {
      this.airtableGateway = airtableGateway;
      this.mcpServer = mcpServer;
      this.llmOrchestrator = llmOrchestrator;
      return this;
    }

    public Builder apiKeys(List<String> keys) {
      this.apiKeys = keys;
      return this;
    }

    public Builder healthInterval(Duration interval) {
      this.healthInterval = interval;
      return this;
    }

    /** The request timeout of plain requests, up to the backend's headers (event streams have none). */
    public Builder backendTimeout(Duration timeout) {
      this.backendTimeout = timeout;
      return this;
    }

    public Builder breaker(int failureThreshold, Duration openDuration) {
      this.breakerFailureThreshold = failureThreshold;
      this.breakerOpenDuration = openDuration;
      return this;
    }

    public ApiGatewayConfig build() {
      return new ApiGatewayConfig(host(), port(), airtableGateway, mcpServer, llmOrchestrator, apiKeys,
          healthInterval, backendTimeout, breakerFailureThreshold, breakerOpenDuration, streamHeartbeat,
          streamIdleTimeout);
    }
  }
}
