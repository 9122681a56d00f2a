package io.pyairtable.metrics.examples.config;

import io.pyairtable.metrics.SecretMask;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of the environment variables the example services are configured with. A variable
 * that is unset or blank reads as empty (the service keeps its default); a value that is set is
 * trimmed and checked, and an invalid one fails at start-up with an {@link IllegalArgumentException}
 * naming the variable, its value and what it accepts, worded like metrics-core's
 * {@code MetricsConfig}: {@code LLM_PORT="http" is invalid: expected a port number from 0 to 65535}.
 *
 * <pre>{@code
 * EnvironmentSettings settings = new EnvironmentSettings(System.getenv());
 * settings.port("MCP_PORT").ifPresent(builder::port);
 * settings.string("MCP_HOST").ifPresent(builder::host);
 * settings.duration("MCP_COMMAND_TIMEOUT_SECONDS").ifPresent(builder::commandTimeout); // "10", "10s", "500ms"
 * settings.url("AIRTABLE_GATEWAY_URL").map(URI::toString).ifPresent(builder::airtableGatewayUrl);
 * }</pre>
 */
public final class EnvironmentSettings {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

  private final Map<String, String> env;

  /** Reads from {@code env} (for example {@code System.getenv()}, or a {@code Map.of(...)} in tests). */
  public EnvironmentSettings(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  /** The trimmed value, or empty when the variable is unset or blank. */
  public Optional<String> string(String variable) {
    String value = env.get(variable);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The value exactly as set, blank or padded (a password), or empty when the variable is unset. */
  public Optional<String> verbatim(String variable) {
    return Optional.ofNullable(env.get(variable));
  }

  /** A TCP port from 0 to 65535 (0: a free port is picked). */
  public Optional<Integer> port(String variable) {
    return string(variable).map(value -> {
      Long n = wholeNumber(value);
      if (n == null || n > 65_535) {
        throw invalid(variable, value, "a port number from 0 to 65535");
      }
      return n.intValue();
    });
  }

  /** A whole number from 1 to {@link Integer#MAX_VALUE}. */
  public Optional<Integer> positiveInt(String variable) {
    return string(variable).map(value -> {
      Long n = wholeNumber(value);
      if (n == null || n < 1 || n > Integer.MAX_VALUE) {
        throw invalid(variable, value, "a whole number from 1 to " + Integer.MAX_VALUE);
      }
      return n.intValue();
    });
  }

  /** A whole number from 1 to {@link Long#MAX_VALUE}. */
  public Optional<Long> positiveLong(String variable) {
    return string(variable).map(value -> {
      Long n = wholeNumber(value);
      if (n == null || n < 1) {
        throw invalid(variable, value, "a whole number >= 1");
      }
      return n;
    });
  }

  /**
   * A positive duration written as a whole number with a unit: {@code 250ms}, {@code 5s},
   * {@code 2m} or {@code 1h}; a bare whole number means seconds ({@code 10} is {@code 10s}), which
   * keeps variables named {@code ..._SECONDS} working as before.
   */
  public Optional<Duration> duration(String variable) {
    return string(variable).map(value -> {
      Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
      long amount = m.matches() ? Long.parseLong(m.group(1)) : 0;
      if (amount < 1) {
        throw invalid(variable, value, "a duration such as 250ms, 5s, 2m or 1h (a bare whole number means seconds)");
      }
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
    });
  }

  /** A file system path (not checked for existence). */
  public Optional<Path> path(String variable) {
    return string(variable).map(value -> {
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw invalid(variable, value, "a file system path such as /srv/files");
      }
    });
  }

  /** An absolute {@code http://} or {@code https://} URL with a host. */
  public Optional<URI> url(String variable) {
    return string(variable).map(value -> {
      try {
        URI uri = new URI(value);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw invalid(variable, value, "an absolute http:// or https:// URL such as http://127.0.0.1:8002");
    });
  }

  /** The digits of {@code value} as a number >= 0, or null when it is not a whole number. */
  private static Long wholeNumber(String value) {
    if (!value.matches("\\d{1,18}")) {
      return null;
    }
    return Long.parseLong(value);
  }

  private static IllegalArgumentException invalid(String variable, String value, String expected) {
    return new IllegalArgumentException(variable + "=\"" + SecretMask.url(value) + "\" is invalid: expected " + expected);
  }
}
