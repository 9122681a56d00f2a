package io.pyairtable.metrics.monitoring.k8s;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Kubernetes workloads {@link KubernetesWorkloads} writes for each service: the
 * image (a service's own, else {@code imagePattern} with {@code {service}} replaced by its name),
 * the services' graceful-shutdown grace period (the pod's {@code terminationGracePeriodSeconds} is
 * the pre-stop delay plus the grace plus a margin), replicas and CPU target of the autoscaler,
 * resources, the Secret the services' secrets come from and the Redis connection (a URL, or the
 * nodes of a Redis Cluster) written into the shared ConfigMap.
 *
 * <pre>{@code
 * WorkloadOptions options = WorkloadOptions.builder(ServerLimits.defaults().shutdownGrace())
 *     .imagePattern("registry.example.com/pyairtable-{service}:1.4.2")
 *     .redisClusterNodes("redis-0.redis:6379,redis-1.redis:6379,redis-2.redis:6379")
 *     .replicas(3, 10).build();
 * }</pre>
 */
public final class WorkloadOptions {

  /** The default image: the project's one image, which runs any built-in service with {@code serve SERVICE}. */
  public static final String DEFAULT_IMAGE_PATTERN = "pyairtable-metrics:latest";

  /** The placeholder {@link #imagePattern()} replaces with a service's name. */
  public static final String SERVICE_PLACEHOLDER = "{service}";

  private final String imagePattern;
  private final Duration shutdownGrace;
  private final Duration preStopDelay;
  private final Duration terminationMargin;
  private final int minReplicas;
  private final int maxReplicas;
  private final int cpuUtilization;
  private final String cpuRequest;
  private final String memoryRequest;
  private final String memoryLimit;
  private final String secretName;
  private final String configMapName;
  private final String redisUrl;
  private final String redisClusterNodes;

  private WorkloadOptions(Builder b) {
    this.imagePattern = b.imagePattern;
    this.shutdownGrace = b.shutdownGrace;
    this.preStopDelay = b.preStopDelay;
    this.terminationMargin = b.terminationMargin;
    this.minReplicas = b.minReplicas;
    this.maxReplicas = b.maxReplicas;
    this.cpuUtilization = b.cpuUtilization;
    this.cpuRequest = b.cpuRequest;
    this.memoryRequest = b.memoryRequest;
    this.memoryLimit = b.memoryLimit;
    this.secretName = b.secretName;
    this.configMapName = b.configMapName;
    this.redisUrl = b.redisUrl;
    this.redisClusterNodes = b.redisClusterNodes;
  }

  /**
   * Options for services that drain in-flight requests for {@code shutdownGrace} once stopped (the
   * turnkey service's is {@code ServerLimits.defaults().shutdownGrace()} in metrics-http).
   */
  public static Builder builder(Duration shutdownGrace) {
    return new Builder(shutdownGrace);
  }

  /** The image of a service without its own: the pattern with {@code {service}} replaced. */
  public String image(String service) {
    return imagePattern.replace(SERVICE_PLACEHOLDER, service);
  }

  public String imagePattern() {
    return imagePattern;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** How long the pod keeps serving after it was told to stop, while the endpoints drop it (default 5 s). */
  public Duration preStopDelay() {
    return preStopDelay;
  }

  /** {@code terminationGracePeriodSeconds}: pre-stop delay + shutdown grace + margin, rounded up to seconds. */
  public long terminationGracePeriodSeconds() {
    Duration total = preStopDelay.plus(shutdownGrace).plus(terminationMargin);
    return (total.toMillis() + 999) / 1000;
  }

  public int minReplicas() {
    return minReplicas;
  }

  public int maxReplicas() {
    return maxReplicas;
  }

  /** The autoscaler's target: average CPU use in percent of the request. */
  public int cpuUtilization() {
    return cpuUtilization;
  }

  public String cpuRequest() {
    return cpuRequest;
  }

  public String memoryRequest() {
    return memoryRequest;
  }

  public String memoryLimit() {
    return memoryLimit;
  }

  /** The Secret the services' secret variables are read from (each from the key of its name). */
  public String secretName() {
    return secretName;
  }

  /** The ConfigMap with the Redis connection and the services' URLs. */
  public String configMapName() {
    return configMapName;
  }

  /** {@code REDIS_URL} of the ConfigMap, or null when a Redis Cluster is configured. */
  public String redisUrl() {
    return redisClusterNodes != null ? null : redisUrl;
  }

  /** {@code REDIS_CLUSTER_NODES} of the ConfigMap ({@code host:port,...}), or null. */
  public String redisClusterNodes() {
    return redisClusterNodes;
  }

  /** Builds {@link WorkloadOptions}; the defaults are listed on each setter. */
  public static final class Builder {
    private String imagePattern = DEFAULT_IMAGE_PATTERN;
    private final Duration shutdownGrace;
    private Duration preStopDelay = Duration.ofSeconds(5);
    private Duration terminationMargin = Duration.ofSeconds(5);
    private int minReplicas = 2;
    private int maxReplicas = 6;
    private int cpuUtilization = 70;
    private String cpuRequest = "250m";
    private String memoryRequest = "384Mi";
    private String memoryLimit = "768Mi";
    private String secretName = "pyairtable-secrets";
    private String configMapName = "pyairtable-config";
    private String redisUrl = "redis://redis:6379";
    private String redisClusterNodes;

    private Builder(Duration shutdownGrace) {
      this.shutdownGrace = notNegative(shutdownGrace, "shutdownGrace");
    }

    /** Image of the services without their own (default {@value #DEFAULT_IMAGE_PATTERN}); {@code {service}} is replaced. */
    public Builder imagePattern(String pattern) {
      if (pattern == null || pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("image pattern must be an image reference: " + pattern);
      }
      this.imagePattern = pattern;
      return this;
    }

    /** Default 5 s. */
    public Builder preStopDelay(Duration delay) {
      this.preStopDelay = notNegative(delay, "preStopDelay");
      return this;
    }

    /** Added to the pre-stop delay and the grace for {@code terminationGracePeriodSeconds} (default 5 s). */
    public Builder terminationMargin(Duration margin) {
      this.terminationMargin = notNegative(margin, "terminationMargin");
      return this;
    }

    /** The autoscaler's bounds (default 2 to 6); the disruption budget lets one pod go at a time. */
    public Builder replicas(int min, int max) {
      if (min < 1 || max < min) {
        throw new IllegalArgumentException("replicas must be 1 <= min <= max, were " + min + " and " + max);
      }
      this.minReplicas = min;
      this.maxReplicas = max;
      return this;
    }

    /** Default 70 (% of the CPU request). */
    public Builder cpuUtilization(int percent) {
      if (percent < 1) {
        throw new IllegalArgumentException("CPU utilization must be a positive percentage: " + percent);
      }
      this.cpuUtilization = percent;
      return this;
    }

    /** Default 250m CPU and 384Mi memory requested, 768Mi memory limit (no CPU limit). */
    public Builder resources(String cpuRequest, String memoryRequest, String memoryLimit) {
      this.cpuRequest = Objects.requireNonNull(cpuRequest);
      this.memoryRequest = Objects.requireNonNull(memoryRequest);
      this.memoryLimit = Objects.requireNonNull(memoryLimit);
      return this;
    }

    /** Default {@code pyairtable-secrets}. */
    public Builder secretName(String name) {
      this.secretName = Objects.requireNonNull(name);
      return this;
    }

    /** Default {@code pyairtable-config}. */
    public Builder configMapName(String name) {
      this.configMapName = Objects.requireNonNull(name);
      return this;
    }

    /** Default {@code redis://redis:6379} (a Redis Service in the namespace). */
    public Builder redisUrl(String url) {
      this.redisUrl = Objects.requireNonNull(url);
      return this;
    }

    /** {@code host:port,host:port,...} of a Redis Cluster; replaces the URL. */
    public Builder redisClusterNodes(String nodes) {
      if (nodes != null && !nodes.matches("[^\\s,:]+:[0-9]{1,5}(,[^\\s,:]+:[0-9]{1,5})*")) {
        throw new IllegalArgumentException("Redis Cluster nodes must be host:port,host:port,...: " + nodes);
      }
      this.redisClusterNodes = nodes;
      return this;
    }

    public WorkloadOptions build() {
      return new WorkloadOptions(this);
    }

    private static Duration notNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
