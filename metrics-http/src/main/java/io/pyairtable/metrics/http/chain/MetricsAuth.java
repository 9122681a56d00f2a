package io.pyairtable.metrics.http.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * Protection of the metrics endpoint: none, a bearer token, or HTTP basic credentials. Checks
 * compare in constant time; a refused scrape gets 401 with a {@code WWW-Authenticate} header.
 * Prometheus sends either with {@code authorization:} or {@code basic_auth:} in its scrape config.
 *
 * <pre>{@code
 * MetricsAuth auth = MetricsAuth.bearer(System.getenv("METRICS_TOKEN"));
 * auth.permits("Bearer " + token);   // true
 * MetricsAuth basic = MetricsAuth.basic("prometheus", "s3cret");
 * }</pre>
 */
public final class MetricsAuth {

  private static final MetricsAuth NONE = new MetricsAuth(null, null);

  private final byte[] expected;
  private final String challenge;

  private MetricsAuth(byte[] expected, String challenge) {
    this.expected = expected;
    this.challenge = challenge;
  }

  /** No protection. */
  public static MetricsAuth none() {
    return NONE;
  }

  /** Requires {@code Authorization: Bearer <token>}. */
  public static MetricsAuth bearer(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("bearer token must not be blank");
    }
    return new MetricsAuth(("Bearer " + token).getBytes(StandardCharsets.UTF_8), "Bearer realm=\"metrics\"");
  }

  /** Requires HTTP basic authentication with these credentials. */
  public static MetricsAuth basic(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a basic-auth user name cannot contain ':'");
    }
    String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new MetricsAuth(("Basic " + encoded).getBytes(StandardCharsets.UTF_8),
        "Basic realm=\"metrics\", charset=\"UTF-8\"");
  }

  /** True when the endpoint needs credentials. */
  public boolean required() {
    return expected != null;
  }

  /** Whether a request with this {@code Authorization} header value may scrape. */
  public boolean permits(String authorizationHeader) {
    if (expected == null) {
      return true;
    }
    if (authorizationHeader == null) {
      return false;
    }
    return MessageDigest.isEqual(expected, authorizationHeader.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code WWW-Authenticate} value sent with a 401, or null without protection. */
  public String challenge() {
    return challenge;
  }
}
