package io.pyairtable.metrics;

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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a {@link MetricsConfig} and the checks on each, shared by its two builders:
 * {@link MetricsConfig.Builder} finishes with {@code build()} (a configuration), {@link Metrics.Builder}
 * also with {@code initialize()} (a collector). Every setter fails with a message naming the
 * setting (or the environment variable) and the expected form.
 *
 * <pre>{@code
 * MetricsConfig config = MetricsConfig.builder().environment(System.getenv()).serviceName("api-gateway").build();
 * MetricsCollector metrics = Metrics.builder().serviceName("api-gateway").seriesBudget(5_000).initialize();
 * }</pre>
 *
 * @param <B> the builder type the setters return
 */
public abstract class MetricsSettings<B extends MetricsSettings<B>> {

  /** Default series budget of each labelled family. */
  public static final int DEFAULT_SERIES_BUDGET = 1_000;

  /** Default path of the metrics endpoint. */
  public static final String DEFAULT_ENDPOINT = "/metrics";

  /** The groups a service can declare as its roles ({@link MetricGroup#serviceRole()}). */
  public static final Set<MetricGroup> ROLES = Collections.unmodifiableSet(
      Arrays.stream(MetricGroup.values()).filter(MetricGroup::serviceRole)
          .collect(() -> EnumSet.noneOf(MetricGroup.class), Set::add, Set::addAll));

  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  String serviceName;
  String version = "unknown";
  boolean enabled = true;
  String endpoint = DEFAULT_ENDPOINT;
  String redisUrl;
  boolean jvmMetrics = true;
  boolean nativeHistograms;
  boolean versionOnEverySeries;
  int defaultSeriesBudget = DEFAULT_SERIES_BUDGET;
  final Map<String, Integer> seriesBudgets = new LinkedHashMap<>();
  final Map<String, double[]> buckets = new LinkedHashMap<>();
  int labelValueMaxLength = LabelSanitizer.DEFAULT_MAX_LENGTH;
  final Map<String, String> info = new LinkedHashMap<>();
  final Set<MetricGroup> roles = EnumSet.noneOf(MetricGroup.class);

  MetricsSettings() {}

  @SuppressWarnings("unchecked") // B is this class's own type by declaration (Builder extends MetricsSettings<Builder>)
  private B self() {
    return (B) this;
  }

  /** Applies the variables of {@link MetricsConfig#fromEnvironment(Map)} present in {@code env}. */
  public B environment(Map<String, String> env) {
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
    return self();
  }

  public B serviceName(String name) {
    return serviceName(name, "service name");
  }

  public B version(String version) {
    return version(version, "version");
  }

  /** False makes every record call a no-op and the exposition empty. */
  public B enabled(boolean enabled) {
    this.enabled = enabled;
    return self();
  }

  public B endpoint(String path) {
    return endpoint(path, "endpoint");
  }

  public B redisUrl(String url) {
    return redisUrl(url, "redis URL");
  }

  /** Registers client_java's JVM metrics (default true). */
  public B jvmMetrics(boolean on) {
    this.jvmMetrics = on;
    return self();
  }

  /** Keeps native histograms beside the classic buckets (served in the protobuf format). */
  public B nativeHistograms(boolean on) {
    this.nativeHistograms = on;
    return self();
  }

  /** Adds {@code version} to every series, not only to service_info (costs series on every deploy). */
  public B versionOnEverySeries(boolean on) {
    this.versionOnEverySeries = on;
    return self();
  }

  /** The series budget of every family without its own. */
  public B seriesBudget(int budget) {
    this.defaultSeriesBudget = positive("series budget", budget);
    return self();
  }

  /** The series budget of one family, by exposed name. */
  public B seriesBudget(String family, int budget) {
    seriesBudgets.put(Objects.requireNonNull(family, "family"), positive("series budget of " + family, budget));
    return self();
  }

  /** Replaces the default buckets of a histogram family, by exposed name. */
  public B buckets(String family, double... upperBounds) {
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
    return self();
  }

  /** The longest label value kept; longer ones are cut. */
  public B labelValueMaxLength(int chars) {
    this.labelValueMaxLength = positive("label value max length", chars);
    return self();
  }

  /**
   * Declares service roles (Airtable gateway, MCP server, LLM orchestrator, API gateway): their
   * families are exposed from the start, before the first record.
   *
   * <pre>{@code
   * Metrics.builder().serviceName("mcp-server").roles(MetricGroup.MCP_SERVER).initialize();
   * }</pre>
   */
  public B roles(MetricGroup... groups) {
    for (MetricGroup g : groups) {
      if (!ROLES.contains(g)) {
        throw new IllegalArgumentException(g + " is not a service role; roles are " + ROLES);
      }
      roles.add(g);
    }
    return self();
  }

  /** An extra label of {@code service_info} (for example {@code commit}, {@code region}). */
  public B info(String label, String value) {
    info.put(Objects.requireNonNull(label, "label"), Objects.requireNonNull(value, "value"));
    return self();
  }

  private B serviceName(String name, String source) {
    if (name == null || !SERVICE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(source + "=" + quote(name)
          + " is invalid: expected 1 to 64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
    }
    this.serviceName = name;
    return self();
  }

  private B version(String version, String source) {
    if (version == null || version.isBlank() || version.length() > 128) {
      throw new IllegalArgumentException(source + "=" + quote(version)
          + " is invalid: expected a non-blank version of at most 128 characters");
    }
    this.version = version;
    return self();
  }

  private B endpoint(String path, String source) {
    if (path == null || !path.matches("/[A-Za-z0-9._~/-]*") || path.contains("//")) {
      throw new IllegalArgumentException(source + "=" + quote(path)
          + " is invalid: expected an absolute path such as /metrics");
    }
    this.endpoint = path;
    return self();
  }

  private B redisUrl(String url, String source) {
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
    return self();
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
