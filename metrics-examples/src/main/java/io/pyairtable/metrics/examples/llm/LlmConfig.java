package io.pyairtable.metrics.examples.llm;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the {@link LlmOrchestratorService}. Defaults run everything locally: no Gemini base
 * URL means the service starts its own loopback Gemini emulator (unless {@code GEMINI_API_KEY} is
 * set, then the real API), and no JDBC URL means an embedded in-memory H2 database.
 *
 * <p>Environment variables read by {@link #fromEnvironment(Map)}: {@code LLM_PORT}, {@code LLM_HOST},
 * {@code GEMINI_API_KEY}, {@code GEMINI_BASE_URL}, {@code GEMINI_MODEL}, {@code LLM_DATABASE_URL}
 * (for example {@code jdbc:postgresql://db:5432/llm}), {@code LLM_DATABASE_USER},
 * {@code LLM_DATABASE_PASSWORD}, {@code LLM_PRICE_TABLE} (a JSON file; see {@link GeminiPriceTable}). An invalid
 * port or URL fails naming its variable (see {@link EnvironmentSettings}).
 *
 * <pre>{@code
 * LlmConfig config = LlmConfig.builder().port(8003).model("gemini-2.5-flash")
 *     .geminiBaseUrl("http://127.0.0.1:9100").build();
 * LlmConfig fromEnv = LlmConfig.fromEnvironment(System.getenv());
 * }</pre>
 */
public final class LlmConfig {

  /** The real Gemini API. */
  public static final String GEMINI_API_URL = "https://generativelanguage.googleapis.com";
  /** The model used when none is configured. */
  public static final String DEFAULT_MODEL = "gemini-2.5-flash";

  private final int port;
  private final String host;
  private final String geminiBaseUrl;
  private final String geminiApiKey;
  private final String model;
  private final String jdbcUrl;
  private final String jdbcUser;
  private final String jdbcPassword;
  private final int poolSize;
  private final String priceTablePath;
  private final int breakerFailureThreshold;
  private final Duration breakerOpenTimeout;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration maxRetryDelay;
  private final long emulatorSeed;
  private final MetricsCollector collector;

  private LlmConfig(Builder b) {
    this.port = b.port;
    this.host = b.host;
    this.geminiBaseUrl = b.geminiBaseUrl;
    this.geminiApiKey = b.geminiApiKey;
    this.model = b.model;
    this.jdbcUrl = b.jdbcUrl;
    this.jdbcUser = b.jdbcUser;
    this.jdbcPassword = b.jdbcPassword;
    this.poolSize = b.poolSize;
    this.priceTablePath = b.priceTablePath;
    this.breakerFailureThreshold = b.breakerFailureThreshold;
    this.breakerOpenTimeout = b.breakerOpenTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxRetries = b.maxRetries;
    this.maxRetryDelay = b.maxRetryDelay;
    this.emulatorSeed = b.emulatorSeed;
    this.collector = b.collector;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults overridden by the environment variables listed in the class comment. */
  public static LlmConfig fromEnvironment(Map<String, String> env) {
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Builder b = builder();
    settings.port("LLM_PORT").ifPresent(b::port);
    settings.string("LLM_HOST").ifPresent(b::host);
    settings.string("GEMINI_API_KEY").ifPresent(b::geminiApiKey);
    settings.url("GEMINI_BASE_URL").map(URI::toString).ifPresent(b::geminiBaseUrl);
    settings.string("GEMINI_MODEL").ifPresent(b::model);
    settings.string("LLM_DATABASE_URL").ifPresent(b::jdbcUrl);
    settings.string("LLM_DATABASE_USER").ifPresent(b::jdbcUser);
    settings.verbatim("LLM_DATABASE_PASSWORD").ifPresent(b::jdbcPassword);
    settings.string("LLM_PRICE_TABLE").ifPresent(b::priceTablePath);
    return b.build();
  }

  /** The HTTP port; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** The address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for all interfaces). */
  public String host() {
    return host;
  }

  /** The Gemini base URL, or null: then the real API with a key, or an embedded emulator without. */
  public String geminiBaseUrl() {
    return geminiBaseUrl;
  }

  /** The Gemini API key, or null. */
  public String geminiApiKey() {
    return geminiApiKey;
  }

  public String model() {
    return model;
  }

  /** The JDBC URL of the session database, or null for an embedded in-memory H2 database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String jdbcUser() {
    return jdbcUser;
  }

  public String jdbcPassword() {
    return jdbcPassword;
  }

  public int poolSize() {
    return poolSize;
  }

  /** A JSON price table file, or null for the bundled {@code llm/gemini-prices.json}. */
  public String priceTablePath() {
    return priceTablePath;
  }

  public int breakerFailureThreshold() {
    return breakerFailureThreshold;
  }

  public Duration breakerOpenTimeout() {
    return breakerOpenTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Retries of a call answered 429 RESOURCE_EXHAUSTED, each after the announced retryDelay. */
  public int maxRetries() {
    return maxRetries;
  }

  /** A 429 whose retryDelay is longer than this is not retried. */
  public Duration maxRetryDelay() {
    return maxRetryDelay;
  }

  /** The seed of the embedded Gemini emulator (when one is started). */
  public long emulatorSeed() {
    return emulatorSeed;
  }

  /** A collector to record into, or null: the service creates its own. */
  public MetricsCollector collector() {
    return collector;
  }

  /** Builder of {@link LlmConfig}. */
  public static final class Builder {
    private int port;
    private String host = "127.0.0.1";
    private String geminiBaseUrl;
    private String geminiApiKey;
    private String model = DEFAULT_MODEL;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private int poolSize = 5;
    private String priceTablePath;
    private int breakerFailureThreshold = 5;
    private Duration breakerOpenTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxRetries = 1;
    private Duration maxRetryDelay = Duration.ofSeconds(5);
    private long emulatorSeed = 42;
    private MetricsCollector collector;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder geminiBaseUrl(String url) {
      this.geminiBaseUrl = url == null ? null : url.replaceAll("/+$", "");
      return this;
    }

    public Builder geminiApiKey(String key) {
      this.geminiApiKey = key;
      return this;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    public Builder jdbcUrl(String url) {
      this.jdbcUrl = url;
      return this;
    }

    public Builder jdbcUser(String user) {
      this.jdbcUser = user;
      return this;
    }

    public Builder jdbcPassword(String password) {
      this.jdbcPassword = password;
      return this;
    }

    public Builder poolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("poolSize must be >= 1");
      }
      this.poolSize = size;
      return this;
    }

    public Builder priceTablePath(String path) {
      this.priceTablePath = path;
      return this;
    }

    /** Consecutive Gemini failures (5xx, I/O) that open the breaker, and how long it stays open. */
    public Builder circuitBreaker(int failureThreshold, Duration openTimeout) {
      this.breakerFailureThreshold = failureThreshold;
      this.breakerOpenTimeout = Objects.requireNonNull(openTimeout, "openTimeout");
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder retries(int maxRetries, Duration maxRetryDelay) {
      this.maxRetries = maxRetries;
      this.maxRetryDelay = Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
      return this;
    }

    public Builder emulatorSeed(long seed) {
      this.emulatorSeed = seed;
      return this;
    }

    /** Records into this collector instead of one the service creates. */
    public Builder collector(MetricsCollector collector) {
      this.collector = collector;
      return this;
    }

    public LlmConfig build() {
      return new LlmConfig(this);
    }
  }
}
