package io.pyairtable.metrics.examples.llm;

import io.pyairtable.metrics.SecretMask;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.examples.config.ServiceConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@link LlmOrchestratorService}. Gemini is the real API with {@code GEMINI_API_KEY},
 * or any Gemini-compatible base URL ({@code GEMINI_BASE_URL}); with neither the service has no
 * upstream and refuses to start: the launcher provides one (the demo and {@code serve
 * llm-orchestrator} start the loopback Gemini emulator then, see {@link Builder#hasGeminiUpstream()}).
 * No JDBC URL means an embedded in-memory H2 database.
 *
 * <p>Environment variables read by {@link #fromEnvironment(Map)}: {@code LLM_PORT}, {@code LLM_HOST},
 * {@code GEMINI_API_KEY}, {@code GEMINI_BASE_URL}, {@code GEMINI_MODEL}, {@code LLM_DATABASE_URL}
 * (for example {@code jdbc:postgresql://db:5432/llm}), {@code LLM_DATABASE_USER},
 * {@code LLM_DATABASE_PASSWORD}, {@code LLM_PRICE_TABLE} (a JSON file; see {@link GeminiPriceTable}). An invalid
 * port or URL fails naming its variable (see {@link EnvironmentSettings}).
 *
 * <pre>{@code
 * LlmConfig config = LlmConfig.fromEnvironment(System.getenv()).port(8003).model("gemini-2.5-flash")
 *     .geminiBaseUrl("http://127.0.0.1:9100").build();
 * }</pre>
 *
 * @param host the address to listen on
 * @param port the HTTP port; 0 picks a free one
 * @param geminiBaseUrl the Gemini base URL without a trailing slash, or null: the real API when a key is set
 * @param geminiApiKey the Gemini API key, or null
 * @param model the Gemini model
 * @param jdbcUrl the JDBC URL of the session database, or null for an embedded in-memory H2 database
 * @param jdbcUser the database user, or null
 * @param jdbcPassword the database password, or null
 * @param poolSize the connection pool's maximum size
 * @param priceTablePath a JSON price table file, or null for the bundled {@code llm/gemini-prices.json}
 * @param breakerFailureThreshold consecutive Gemini failures (5xx, I/O) that open the breaker
 * @param breakerOpenTimeout how long the breaker stays open
 * @param requestTimeout the timeout of one Gemini call
 * @param maxRetries retries of a call answered 429 RESOURCE_EXHAUSTED, each after the announced retryDelay
 * @param maxRetryDelay a 429 whose retryDelay is longer than this is not retried
 */
public record LlmConfig(String host, int port, String geminiBaseUrl, String geminiApiKey, String model,
    String jdbcUrl, String jdbcUser, String jdbcPassword, int poolSize, String priceTablePath,
    int breakerFailureThreshold, Duration breakerOpenTimeout, Duration requestTimeout, int maxRetries,
    Duration maxRetryDelay) {

  /** The real Gemini API. */
  public static final String GEMINI_API_URL = "https://generativelanguage.googleapis.com";
  /** The model used when none is configured. */
  public static final String DEFAULT_MODEL = "gemini-2.5-flash";

  /** Checks the settings; the Gemini base URL loses any trailing slash. */
  public LlmConfig {
    Objects.requireNonNull(host, "host");
    geminiBaseUrl = geminiBaseUrl == null ? null : geminiBaseUrl.replaceAll("/+$", "");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(breakerOpenTimeout, "breakerOpenTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding the defaults overridden by the environment variables listed in the class comment. */
  public static Builder fromEnvironment(Map<String, String> env) {
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
    return b;
  }

  /** The Gemini base URL the service calls: the configured one, else the real API when a key is set. */
  public Optional<String> geminiUpstream() {
    if (geminiBaseUrl != null) {
      return Optional.of(geminiBaseUrl);
    }
    return geminiApiKey != null ? Optional.of(GEMINI_API_URL) : Optional.empty();
  }

  /** No key or password: the database URL and the Gemini URL with their passwords masked. */
  @Override
  public String toString() {
    return "LlmConfig[" + host + ":" + port + ", gemini=" + geminiUpstream().map(SecretMask::url).orElse("none")
        + ", model=" + model + ", database=" + (jdbcUrl == null ? "embedded" : SecretMask.url(jdbcUrl)) + "]";
  }

  /** Builder of {@link LlmConfig}; defaults: loopback, a free port, no Gemini upstream, embedded H2. */
  public static final class Builder extends ServiceConfigBuilder<Builder> {
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

    private Builder() {
      super(0);
    }

    /** Whether a Gemini base URL or an API key is set; without either the launcher must provide an upstream. */
    public boolean hasGeminiUpstream() {
      return geminiBaseUrl != null || geminiApiKey != null;
    }

    public Builder geminiBaseUrl(String url) {
      this.geminiBaseUrl = url;
      return this;
    }

    public Builder geminiApiKey(String key) {
      this.geminiApiKey = key;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
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
      this.breakerOpenTimeout = openTimeout;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder retries(int maxRetries, Duration maxRetryDelay) {
      this.maxRetries = maxRetries;
      this.maxRetryDelay = maxRetryDelay;
      return this;
    }

    public LlmConfig build() {
      return new LlmConfig(host(), port(), geminiBaseUrl, geminiApiKey, model, jdbcUrl, jdbcUser, jdbcPassword,
          poolSize, priceTablePath, breakerFailureThreshold, breakerOpenTimeout, requestTimeout, maxRetries,
          maxRetryDelay);
    }
  }
}
