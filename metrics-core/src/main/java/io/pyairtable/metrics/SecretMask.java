package io.pyairtable.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets before a value is printed or logged: the password of a URL's user info
 * ({@code redis://:***@host:6379}), secret-looking query parameters ({@code ?password=***}), and
 * API keys or tokens (only their first four characters are kept, and only when long enough for
 * that to give nothing away). Safe on any input: text without a secret comes back unchanged, and
 * {@code null} stays {@code null}.
 *
 * <pre>{@code
 * SecretMask.url("redis://:hunter2@cache:6379/0");   // redis://:***@cache:6379/0
 * SecretMask.url("rediss://app:hunter2@cache");      // rediss://app:***@cache
 * SecretMask.key("pat1234567890abcdef");             // pat1***
 * }</pre>
 */
public final class SecretMask {

  /** What a secret is replaced with. */
  public static final String MASK = "***";

  /** scheme://[user]:password@ — the password runs up to the last '@' before the path. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#@:]*):[^/?#]*@");
  /** scheme://password@ with no user: Redis URLs write the password alone as user info. */
  private static final Pattern USER_INFO_ONLY = Pattern.compile("((?:redis|rediss|redis-socket)://)[^/?#:@]+@");
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "([?&;](?:password|passwd|pwd|secret|token|access_token|api_key|apikey|key|auth)=)[^&#;\\s]*",
      Pattern.CASE_INSENSITIVE);
  private static final int SHOWN_KEY_PREFIX = 4;
  private static final int SHORTEST_KEY_WITH_PREFIX = 12;

  private SecretMask() {}

  /** {@code url} with the password of its user info and secret query parameters masked. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    String masked = USER_INFO_PASSWORD.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + ":" + MASK + "@");
    masked = USER_INFO_ONLY.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK + "@");
    return SECRET_PARAMETER.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
  }

  /** An API key or token reduced to its first four characters and {@value #MASK} (all masked when short). */
  public static String key(String key) {
    if (key == null) {
      return null;
    }
    if (key.length() < SHORTEST_KEY_WITH_PREFIX) {
      return MASK;
    }
    return key.substring(0, SHOWN_KEY_PREFIX) + MASK;
  }
}
