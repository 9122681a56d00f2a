package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Demo#start} runs the demo: the base port (the API gateway's; the others follow it as
 * in {@link ServiceCatalog}; 0 gives every service a free port), how long it runs, whether to start
 * a local Prometheus, which Redis to use, whether to generate traffic, the environment the services
 * read (API keys, {@code REDIS_URL}, ...) and where to print.
 *
 * <pre>{@code
 * DemoOptions options = DemoOptions.builder().basePort(0).duration(Duration.ofSeconds(60))
 *     .environment(Map.of()).build();
 * }</pre>
 */
public final class DemoOptions {

  private final int basePort;
  private final Duration duration;
  private final boolean withPrometheus;
  private final String redisUrl;
  private final boolean startLocalRedis;
  private final boolean traffic;
  private final Map<String, String> environment;
  private final PrintStream out;

  private DemoOptions(Builder b) {
    this.basePort = b.basePort;
    this.duration = b.duration;
    this.withPrometheus = b.withPrometheus;
    this.redisUrl = b.redisUrl;
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

  public boolean withPrometheus() {
    return withPrometheus;
  }

  /** The Redis to use: the option, else {@code REDIS_URL} from the environment. */
  public Optional<String> redisUrl() {
    if (redisUrl != null) {
      return Optional.of(redisUrl);
    }
    return Optional.ofNullable(environment.get("REDIS_URL")).filter(s -> !s.isBlank());
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

  /** Builder; defaults: base port 8000, no time limit, no Prometheus, local Redis if installed, traffic on, no environment, stdout. */
  public static final class Builder {
    private int basePort = ServiceCatalog.DEFAULT_BASE_PORT;
    private Duration duration;
    private boolean withPrometheus;
    private String redisUrl;
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
