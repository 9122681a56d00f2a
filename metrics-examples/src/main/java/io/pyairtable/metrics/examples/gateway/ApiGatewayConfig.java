package io.pyairtable.metrics.examples.gateway;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link ApiGatewayService}: where it listens, its three backends, the API keys it
 * accepts ({@code API_GATEWAY_KEYS}, comma-separated), how often backends are health-checked and
 * how its per-backend circuit breakers behave.
 *
 * <pre>{@code
 * ApiGatewayConfig config = ApiGatewayConfig.builder()
 *     .port(8000)
 *     .backends(URI.create("http://127.0.0.1:8002"), URI.create("http://127.0.0.1:8001"), URI.create("http://127.0.0.1:8003"))
 *     .apiKeys(List.of("demo-key"))
 *     .build();
 * }</pre>
 */
public final class ApiGatewayConfig {

  /** The key the demo uses when {@code API_GATEWAY_KEYS} is not set. */
  public static final String DEMO_API_KEY = "pyairtable-demo-key";

  private final String host;
  private final int port;
  private final URI airtableGateway;
  private final URI mcpServer;
  private final URI llmOrchestrator;
  private final List<String> apiKeys;
  private final Duration healthInterval;
  private final Duration backendTimeout;
  private final int breakerFailureThreshold;
  private final Duration breakerOpenDuration;
  private final Duration streamHeartbeat;
  private final Duration streamIdleTimeout;

  private ApiGatewayConfig(Builder b) {
    this.streamHeartbeat = b.streamHeartbeat;
    this.streamIdleTimeout = b.streamIdleTimeout;
    this.host = b.host;
    this.port = b.port;
    this.airtableGateway = Objects.requireNonNull(b.airtableGateway, "airtable gateway backend");
    this.mcpServer = Objects.requireNonNull(b.mcpServer, "mcp server backend");
    this.llmOrchestrator = Objects.requireNonNull(b.llmOrchestrator, "llm orchestrator backend");
    this.apiKeys = List.copyOf(b.apiKeys);
    this.healthInterval = b.healthInterval;
    this.backendTimeout = b.backendTimeout;
    this.breakerFailureThreshold = b.breakerFailureThreshold;
    this.breakerOpenDuration = b.breakerOpenDuration;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings from the environment: the API keys ({@link #apiKeysFrom}) and the backends' URLs
   * {@code AIRTABLE_GATEWAY_URL}, {@code MCP_SERVER_URL} and {@code LLM_ORCHESTRATOR_URL} (default:
   * loopback on their catalogue ports, 8002, 8001 and 8003), as the Kubernetes workloads' ConfigMap
   * sets them. An invalid URL fails naming its variable.
   */
  public static Builder fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    return builder().apiKeys(apiKeysFrom(env)).backends(
        backendUrl(settings, ServiceCatalog.AIRTABLE_GATEWAY),
        backendUrl(settings, ServiceCatalog.MCP_SERVER),
        backendUrl(settings, ServiceCatalog.LLM_ORCHESTRATOR));
  }

  private static URI backendUrl(EnvironmentSettings settings, ServiceCatalog backend) {
    String variable = backend.serviceName().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_URL";
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

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public URI airtableGateway() {
    return airtableGateway;
  }

  public URI mcpServer() {
    return mcpServer;
  }

  public URI llmOrchestrator() {
    return llmOrchestrator;
  }

  public List<String> apiKeys() {
    return apiKeys;
  }

  public Duration healthInterval() {
    return healthInterval;
  }

  public Duration backendTimeout() {
    return backendTimeout;
  }

  public int breakerFailureThreshold() {
    return breakerFailureThreshold;
  }

  public Duration breakerOpenDuration() {
    return breakerOpenDuration;
  }

  /** How often a quiet event stream gets an SSE comment line (default 15 s). */
  public Duration streamHeartbeat() {
    return streamHeartbeat;
  }

  /** How long an event stream may stay without a byte from its backend before the gateway closes it (default 5 min). */
  public Duration streamIdleTimeout() {
    return streamIdleTimeout;
  }

  /** Builder; defaults: loopback, port 8000, the demo key, health checks every 5 s, 30 s backend timeout. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8000;
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

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port to listen on; 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
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
      return new ApiGatewayConfig(this);
    }
  }
}
