package io.pyairtable.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.catalog.MetricGroup;
import io.pyairtable.metrics.internal.LabelSanitizer;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a {@link MetricsCollector}: built in code, read from the environment, or both
 * (environment first, then code overrides). Every setting has a default, so only the service name
 * is needed. See {@link #fromEnvironment(Map)} for the variables read.
 *
 * <pre>{@code
 * MetricsConfig config = MetricsConfig.builder()
 *     .environment(System.getenv())          // SERVICE_NAME, METRICS_ENABLED, ...
 *     .serviceName("airtable-gateway")
 *     .seriesBudget("http_requests_total", 5_000)
 *     .build();
 * }</pre>
 */
public final class MetricsConfig {

  /** Default series budget of each labelled family. */
  public static final int DEFAULT_SERIES_BUDGET = 1_000;

  /** Default path of the metrics endpoint. */
  public static final String DEFAULT_ENDPOINT = "/metrics";

  /** The groups a service can declare as its roles ({@link MetricGroup#serviceRole()}). */
  public static final Set<MetricGroup> ROLES = Collections.unmodifiableSet(
      Arrays.stream(MetricGroup.values()).filter(MetricGroup::serviceRole)
          .collect(() -> EnumSet.noneOf(MetricGroup.class), Set::add, Set::addAll));

  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final String serviceName;
  private final String version;
  private final boolean enabled;
  private final String endpoint;
  private final String redisUrl;
  private final boolean jvmMetrics;
  private final boolean nativeHistograms;
  private final boolean versionOnEverySeries;
  private final int defaultSeriesBudget;
  private final Map<String, Integer> seriesBudgets;
  private final Map<String, double[]> buckets;
  private final int labelValueMaxLength;
  private final Map<String, String> info;
  private final Set<MetricGroup> roles;

  private MetricsConfig(Builder b) {
    if (b.serviceName == null) {
      throw new IllegalArgumentException("service name is required: pass it to Metrics.initialize or set SERVICE_NAME");
    }
    this.serviceName = b.serviceName;
    this.version = b.version;
    this.enabled = b.enabled;
    this.endpoint = b.endpoint;
    this.redisUrl = b.redisUrl;
    this.jvmMetrics = b.jvmMetrics;
    this.nativeHistograms = b.nativeHistograms;
    this.versionOnEverySeries = b.versionOnEverySeries;
    this.defaultSeriesBudget = b.defaultSeriesBudget;
    this.seriesBudgets = Collections.unmodifiableMap(new LinkedHashMap<>(b.seriesBudgets));
    this.buckets = Collections.unmodifiableMap(new LinkedHashMap<>(b.buckets));
    this.labelValueMaxLength = b.labelValueMaxLength;
    this.info = Collections.unmodifiableMap(new LinkedHashMap<>(b.info));
    this.roles = Collections.unmodifiableSet(EnumSet.copyOf(b.roles));
  }

  /** A builder with every default set and no service name. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The settings read from {@code env}; fails naming the first variable with an invalid value.
   *
   * <table>
   *   <caption>Variables</caption>
   *   <tr><td>SERVICE_NAME</td><td>service label, 1-64 of [A-Za-z0-9_.-] (required here)</td></tr>
   *   <tr><td>SERVICE_VERSION</td><td>version on service_info (default {@code unknown})</td></tr>
   *   <tr><td>METRICS_ENABLED</td><td>true/false: false makes every record call a no-op</td></tr>
   *   <tr><td>METRICS_ENDPOINT</td><td>path of the metrics endpoint (default /metrics)</td></tr>
   *   <tr><td>REDIS_URL</td><td>redis:// or rediss:// URL used by the integrations</td></tr>
   *   <tr><td>METRICS_JVM_ENABLED</td><td>true/false: client_java's JVM metrics (default true)</td></tr>
   *   <tr><td>METRICS_NATIVE_HISTOGRAMS</td><td>true/false: also keep native histograms</td></tr>
   *   <tr><td>METRICS_VERSION_LABEL</td><td>true/false: add version to every series (default false)</td></tr>
   *   <tr><td>METRICS_SERIES_BUDGET</td><td>series budget per family (default 1000)</td></tr>
   *   <tr><td>METRICS_LABEL_MAX_LENGTH</td><td>longest label value kept (default 128)</td></tr>
   *   <tr><td>METRICS_SERVICE_ROLES</td><td>comma list of airtable_gateway, mcp_server, llm_orchestrator,
   *       api_gateway: groups exposed from the start (default none)</td></tr>
   * </table>
   */
  public static MetricsConfig fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  public String serviceName() {
    return serviceName;
  }

  public String version() {
    return version;
  }

  public boolean enabled() {
    return enabled;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The Redis URL, if one is configured. */
  public Optional<String> redisUrl() {
    return Optional.ofNullable(redisUrl);
  }

  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  public boolean nativeHistograms() {
    return nativeHistograms;
  }

  public boolean versionOnEverySeries() {
    return versionOnEverySeries;
  }

  /** The series budget of a family: its own setting, or the default. */
  public int seriesBudget(String family) {
    return seriesBudgets.getOrDefault(family, defaultSeriesBudget);
  }

  /** Bucket upper bounds configured for a family, if they replace the catalogue defaults. */
  public Optional<double[]> buckets(String family) {
    double[] b = buckets.get(family);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  public int labelValueMaxLength() {
    return labelValueMaxLength;
  }

  /** Extra labels of {@code service_info} besides {@code version}. */
  public Map<String, String> info() {
    return info;
  }

  /**
   * The service-role groups exposed from the start. A collector exposes the families of a role
   * group ({@link MetricGroup#serviceRole()}) only once the role is declared or the service first
   * records into the group; every other group is exposed by every service.
   */
  public Set<MetricGroup> roles() {
    return roles;
  }

  /**
   * Settings for a {@link MetricsConfig}, finished with {@link #build()} for the configuration or
   * {@link #initialize()} for a collector. {@link Metrics#builder()} returns one that starts from
   * the process environment.
   */
  public static final class Builder {
    private String serviceName;
    private String version = "unknown";
    private boolean enabled = true;
    private String endpoint = DEFAULT_ENDPOINT;
    private String redisUrl;
    private boolean jvmMetrics = true;
    private boolean nativeHistograms;
    private boolean versionOnEverySeries;
    private int defaultSeriesBudget = DEFAULT_SERIES_BUDGET;
    private final Map<String, Integer> seriesBudgets = new LinkedHashMap<>();
    private final Map<String, double[]> buckets = new LinkedHashMap<>();
    private int labelValueMaxLength = LabelSanitizer.DEFAULT_MAX_LENGTH;
    private final Map<String, String> info = new LinkedHashMap<>();
    private final Set<MetricGroup> roles = EnumSet.noneOf(MetricGroup.class);

    private Builder() {}

    /** Applies the variables of {@link MetricsConfig#fromEnvironment(Map)} present in {@code env}. */
    public Builder environment(Map<String, String> env) {
      Objects.requireNonNull(env, "env");
      String v;
      if ((v = env.get("SERVICE_NAME")) != null) {
        serviceName(v, "SERVICE_NAME");
      }
      if ((v = env.get("SERVICE_VERSION")) != null) {
        version(v, "SERVICE_VERSION");
      }
      if ((v = env.get("METRICS_ENABLED")) != null) {
        enabled = bool("METRICS_ENABLED", v);
      }
      if ((v = env.get("METRICS_ENDPOINT")) != null) {
        endpoint(v, "METRICS_ENDPOINT");
      }
      if ((v = env.get("REDIS_URL")) != null && !v.isBlank()) {
        redisUrl(v, "REDIS_URL");
      }
      if ((v = env.get("METRICS_JVM_ENABLED")) != null) {
        jvmMetrics = bool("METRICS_JVM_ENABLED", v);
      }
      if ((v = env.get("METRICS_NATIVE_HISTOGRAMS")) != null) {
        nativeHistograms = bool("METRICS_NATIVE_HISTOGRAMS", v);
      }
      if ((v = env.get("METRICS_VERSION_LABEL")) != null) {
        versionOnEverySeries = bool("METRICS_VERSION_LABEL", v);
      }
      if ((v = env.get("METRICS_SERIES_BUDGET")) != null) {
        defaultSeriesBudget = positiveInt("METRICS_SERIES_BUDGET", v);
      }
      if ((v = env.get("METRICS_LABEL_MAX_LENGTH")) != null) {
        labelValueMaxLength = positiveInt("METRICS_LABEL_MAX_LENGTH", v);
      }
      if ((v = env.get("METRICS_SERVICE_ROLES")) != null) {
        for (String name : v.split(",")) {
          if (!name.isBlank()) {
            roles.add(role("METRICS_SERVICE_ROLES", name));
          }
        }
      }
      return this;
    }

    public Builder serviceName(String name) {
      return serviceName(name, "service name");
    }

    public Builder version(String version) {
      return version(version, "version");
    }

    /** False makes every record call a no-op and the exposition empty. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder endpoint(String path) {
      return endpoint(path, "endpoint");
    }

    public Builder redisUrl(String url) {
      return redisUrl(url, "redis URL");
    }

    /** Registers client_java's JVM metrics (default true). */
    public Builder jvmMetrics(boolean on) {
      this.jvmMetrics = on;
      return this;
    }

    /** Keeps native histograms beside the classic buckets (served in the protobuf format). */
    public Builder nativeHistograms(boolean on) {
      this.nativeHistograms = on;
      return this;
    }

    /** Adds {@code version} to every series, not only to service_info (costs series on every deploy). */
    public Builder versionOnEverySeries(boolean on) {
      this.versionOnEverySeries = on;
      return this;
    }

    /** The series budget of every family without its own. */
    public Builder seriesBudget(int budget) {
      this.defaultSeriesBudget = positive("series budget", budget);
      return this;
    }

    /** The series budget of one family, by exposed name. */
    public Builder seriesBudget(String family, int budget) {
      seriesBudgets.put(Objects.requireNonNull(family, "family"), positive("series budget of " + family, budget));
      return this;
    }

    /** Replaces the default buckets of a histogram family, by exposed name. */
    public Builder buckets(String family, double... upperBounds) {
      Objects.requireNonNull(family, "family");
      if (upperBounds.length == 0) {
        throw new IllegalArgumentException("buckets of " + family + " must not be empty");
      }
      double[] sorted = upperBounds.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (Double.isNaN(sorted[i]) || (i > 0 && sorted[i] == sorted[i - 1])) {
          throw new IllegalArgumentException("buckets of " + family + " must be distinct numbers: "
              + Arrays.toString(upperBounds));
        }
      }
      buckets.put(family, sorted);
      return this;
    }

    /** The longest label value kept; longer ones are cut. */
    public Builder labelValueMaxLength(int chars) {
      this.labelValueMaxLength = positive("label value max length", chars);
      return this;
    }

    /**
     * Declares service roles (Airtable gateway, MCP server, LLM orchestrator, API gateway): their
     * families are exposed from the start, before the first record.
     *
     * <pre>{@code
     * Metrics.builder().serviceName("mcp-server").roles(MetricGroup.MCP_SERVER).initialize();
     * }</pre>
     */
    public Builder roles(MetricGroup... groups) {
      for (MetricGroup g : groups) {
        if (!ROLES.contains(g)) {
          throw new IllegalArgumentException(g + " is not a service role; roles are " + ROLES);
        }
        roles.add(g);
      }
      return this;
    }

    /** An extra label of {@code service_info} (for example {@code commit}, {@code region}). */
    public Builder info(String label, String value) {
      info.put(Objects.requireNonNull(label, "label"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public MetricsConfig build() {
      return new MetricsConfig(this);
    }

    /** A collector with these settings and a registry of its own: {@code Metrics.initialize(build())}. */
    public MetricsCollector initialize() {
      return Metrics.initialize(build());
    }

    /** A collector with these settings in {@code registry} (for example {@code PrometheusRegistry.defaultRegistry}). */
    public MetricsCollector initialize(PrometheusRegistry registry) {
      return Metrics.initialize(build(), registry);
    }

    private Builder serviceName(String name, String source) {
      if (name == null || !SERVICE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(source + "=" + quote(name)
            + " is invalid: expected 1 to 64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
      }
      this.serviceName = name;
      return this;
    }

    private Builder version(String version, String source) {
      if (version == null || version.isBlank() || version.length() > 128) {
        throw new IllegalArgumentException(source + "=" + quote(version)
            + " is invalid: expected a non-blank version of at most 128 characters");
      }
      this.version = version;
      return this;
    }

    private Builder endpoint(String path, String source) {
      if (path == null || !path.matches("/[A-Za-z0-9._~/-]*") || path.contains("//")) {
        throw new IllegalArgumentException(source + "=" + quote(path)
            + " is invalid: expected an absolute path such as /metrics");
      }
      this.endpoint = path;
      return this;
    }

    private Builder redisUrl(String url, String source) {
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("redis-socket"))
            || (!scheme.equals("redis-socket") && (uri.getHost() == null || uri.getHost().isEmpty()))) {
          throw new IllegalArgumentException();
        }
      } catch (Exception e) {
        throw new IllegalArgumentException(source + "=" + quote(SecretMask.url(url))
            + " is invalid: expected redis://[user:password@]host[:port][/database] or rediss://...");
      }
      this.redisUrl = url;
      return this;
    }

    private static boolean bool(String variable, String value) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true": case "1": case "yes": case "on":
          return true;
        case "false": case "0": case "no": case "off":
          return false;
        default:
          throw new IllegalArgumentException(variable + "=" + quote(value)
              + " is invalid: expected true or false (also accepted: 1/0, yes/no, on/off)");
      }
    }

    private static MetricGroup role(String variable, String value) {
      String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (MetricGroup g : ROLES) {
        if (g.name().equals(name)) {
          return g;
        }
      }
      throw new IllegalArgumentException(variable + "=" + quote(value)
          + " is invalid: expected a comma list of airtable_gateway, mcp_server, llm_orchestrator, api_gateway");
    }

    private static int positiveInt(String variable, String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException(variable + "=" + quote(value) + " is invalid: expected a whole number >= 1");
    }

    private static int positive(String what, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + n);
      }
      return n;
    }

    private static String quote(String s) {
      return s == null ? "null" : '"' + s + '"';
    }
  }
}
