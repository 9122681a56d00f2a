package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Demo#start} runs the demo: the address the services bind and the base port (the API
 * gateway's; the others follow it as in {@link ServiceCatalog}; 0 gives every service a free port),
 * fixed ports for the emulators and the helper Redis (0: free ones), how long it runs, whether to
 * start a local Prometheus and Alertmanager and where notifications go, which Redis (or Redis
 * Cluster) to use,
 * whether to generate traffic and the scripted incident, the environment the services read (API
 * keys, {@code REDIS_URL}, ...) and where to print.
 *
 * <pre>{@code
 * DemoOptions options = DemoOptions.builder().basePort(0).duration(Duration.ofSeconds(60))
 *     .withAlertmanager(true).environment(Map.of()).build();
 * }</pre>
 */
public final class DemoOptions {

  private final int basePort;
  private final String bind;
  private final boolean withAlertmanager;
  private final String alertWebhook;
  private final boolean incident;
  private final int airtableEmulatorPort;
  private final int geminiEmulatorPort;
  private final int redisPort;
  private final Duration duration;
  private final boolean withPrometheus;
  private final String redisUrl;
  private final String redisClusterNodes;
  private final boolean startLocalRedis;
  private final boolean traffic;
  private final Map<String, String> environment;
  private final PrintStream out;

  private DemoOptions(Builder b) {
    this.basePort = b.basePort;
    this.bind = b.bind;
    this.withAlertmanager = b.withAlertmanager;
    this.alertWebhook = b.alertWebhook;
    this.incident = b.incident;
    this.airtableEmulatorPort = b.airtableEmulatorPort;
    this.geminiEmulatorPort = b.geminiEmulatorPort;
    this.redisPort = b.redisPort;
    this.duration = b.duration;
    this.withPrometheus = b.withPrometheus;
    this.redisUrl = b.redisUrl;
    this.redisClusterNodes = b.redisClusterNodes;
    this.startLocalRedis = b.startLocalRedis;
    this.traffic = b.traffic;
    this.environment = Map.copyOf(b.environment);
    this.out = b.out;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API gateway's port; the others follow it. 0: every service on a free port. */
  public int basePort() {
    return basePort;
  }

  /** How long the demo runs before stopping by itself; empty: until closed (Ctrl-C). */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  /** A local Prometheus: asked for, or implied by {@link #withAlertmanager()}. */
  public boolean withPrometheus() {
    return withPrometheus || withAlertmanager;
  }

  /** A local Alertmanager fed by the local Prometheus. */
  public boolean withAlertmanager() {
    return withAlertmanager;
  }

  /** A Slack-compatible incoming webhook for the notifications; empty: the console receiver. */
  public Optional<String> alertWebhook() {
    return Optional.ofNullable(alertWebhook);
  }

  /** Whether the traffic includes the scripted incident (see {@link DemoTraffic#INCIDENT_START}). */
  public boolean incident() {
    return incident;
  }

  /** The address the four services listen on (default 127.0.0.1). */
  public String bind() {
    return bind;
  }

  /** The Airtable emulator's port; 0: a free one. */
  public int airtableEmulatorPort() {
    return airtableEmulatorPort;
  }

  /** The Gemini emulator's port; 0: a free one. */
  public int geminiEmulatorPort() {
    return geminiEmulatorPort;
  }

  /** The helper redis-server's port; 0: a free one. */
  public int redisPort() {
    return redisPort;
  }

  /** The Redis to use: the option, else {@code REDIS_URL} from the environment. */
  public Optional<String> redisUrl() {
    if (redisUrl != null) {
      return Optional.of(redisUrl);
    }
    return Optional.ofNullable(environment.get("REDIS_URL")).filter(s -> !s.isBlank());
  }

  /**
   * The Redis Cluster the Airtable gateway shares its limiter and cache through (seed nodes
   * {@code host:port,...}): the option, else {@code REDIS_CLUSTER_NODES} from the environment. When
   * set, no local {@code redis-server} is started for the gateway.
   */
  public Optional<String> redisClusterNodes() {
    if (redisClusterNodes != null) {
      return Optional.of(redisClusterNodes);
    }
    return Optional.ofNullable(environment.get("REDIS_CLUSTER_NODES")).filter(s -> !s.isBlank());
  }

  /** Whether to start a local {@code redis-server} when no Redis URL is given. */
  public boolean startLocalRedis() {
    return startLocalRedis;
  }

  /** Whether the traffic generator runs. */
  public boolean traffic() {
    return traffic;
  }

  /** The environment the services are configured from. */
  public Map<String, String> environment() {
    return environment;
  }

  public PrintStream out() {
    return out;
  }

  /** The port of {@code service} (0 when the base port is 0). */
  public int port(ServiceCatalog service) {
    return basePort == 0 ? 0 : service.port(basePort);
  }

  /**
   * Builder; defaults: bound to 127.0.0.1, base port 8000, emulators and Redis on free ports, no
   * time limit, no Prometheus or Alertmanager, local Redis if installed, traffic and the scripted
   * incident on, no environment, stdout.
   */
  public static final class Builder {
    private int basePort = ServiceCatalog.DEFAULT_BASE_PORT;
    private String bind = "127.0.0.1";
    private boolean withAlertmanager;
    private String alertWebhook;
    private boolean incident = true;
    private int airtableEmulatorPort;
    private int geminiEmulatorPort;
    private int redisPort;
    private Duration duration;
    private boolean withPrometheus;
    private String redisUrl;
    private String redisClusterNodes;
    private boolean startLocalRedis = true;
    private boolean traffic = true;
    private Map<String, String> environment = Map.of();
    private PrintStream out = System.out;

    public Builder basePort(int port) {
      if (port < 0 || port > 65532) {
        throw new IllegalArgumentException("base port must be 0 (free ports) or 1-65532, was " + port);
      }
      this.basePort = port;
      return this;
    }

    /** The address the services listen on: 127.0.0.1 (default), 0.0.0.0, or one interface's address. */
    public Builder bind(String address) {
      if (address == null || address.isBlank() || address.contains("/") || address.contains(" ")) {
        throw new IllegalArgumentException("bind address must be an IP address or host name, was " + address);
      }
      this.bind = address;
      return this;
    }

    public Builder withAlertmanager(boolean on) {
      this.withAlertmanager = on;
      return this;
    }

    /** A Slack-compatible incoming-webhook URL (http or https); null: the console receiver. */
    public Builder alertWebhook(String url) {
      if (url != null && !url.matches("https?://\\S+")) {
        throw new IllegalArgumentException("alert webhook must be an http(s) URL");
      }
      this.alertWebhook = url;
      return this;
    }

    public Builder incident(boolean on) {
      this.incident = on;
      return this;
    }

    public Builder airtableEmulatorPort(int port) {
      this.airtableEmulatorPort = requirePort(port, "Airtable emulator");
      return this;
    }

    public Builder geminiEmulatorPort(int port) {
      this.geminiEmulatorPort = requirePort(port, "Gemini emulator");
      return this;
    }

    public Builder redisPort(int port) {
      this.redisPort = requirePort(port, "Redis");
      return this;
    }

    private static int requirePort(int port, String what) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(what + " port must be 0 (a free one) or 1-65535, was " + port);
      }
      return port;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder withPrometheus(boolean on) {
      this.withPrometheus = on;
      return this;
    }

    public Builder redisUrl(String url) {
      this.redisUrl = url == null || url.isBlank() ? null : url;
      return this;
    }

    /**
     * A Redis Cluster's seed nodes ({@code host:port,...}) for the Airtable gateway; null: none.
     *
     * @throws IllegalArgumentException when the list is empty or an entry is not {@code host:port}
     */
    public Builder redisClusterNodes(String nodes) {
      if (nodes != null && !nodes.isBlank()) {
        RedisEndpoint.clusterNodes(nodes);
      }
      this.redisClusterNodes = nodes == null || nodes.isBlank() ? null : nodes;
      return this;
    }

    public Builder startLocalRedis(boolean on) {
      this.startLocalRedis = on;
      return this;
    }

    public Builder traffic(boolean on) {
      this.traffic = on;
      return this;
    }

    public Builder environment(Map<String, String> env) {
      this.environment = Objects.requireNonNull(env, "env");
      return this;
    }

    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    public DemoOptions build() {
      return new DemoOptions(this);
    }
  }
}
