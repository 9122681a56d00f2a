package io.pyairtable.metrics.examples.gateway;

import io.pyairtable.metrics.MetricsCollector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * API-key authentication of the gateway. A client sends its key as {@code X-API-Key: <key>}
 * ({@code auth_type="api_key"}) or {@code Authorization: Bearer <key>} ({@code auth_type="bearer"});
 * every check is counted in {@code gateway_auth_requests_total{auth_type, status}} with status
 * {@code success}, {@code failure} (a key that is not known) or {@code missing} (no credentials,
 * {@code auth_type="none"}). Keys are compared in constant time.
 *
 * <pre>{@code
 * ApiKeyAuthenticator auth = new ApiKeyAuthenticator(List.of("demo-key"), metrics);
 * ApiKeyAuthenticator.Result r = auth.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"));
 * if (!r.authenticated()) { ctx.status(401); }
 * }</pre>
 */
public final class ApiKeyAuthenticator {

  /** The header an API key is sent in. */
  public static final String API_KEY_HEADER = "X-API-Key";

  /** The outcome of one check, with the labels it was counted under. */
  public record Result(boolean authenticated, String authType, String status) {}

  private final List<byte[]> keys;
  private final MetricsCollector metrics;

  public ApiKeyAuthenticator(List<String> keys, MetricsCollector metrics) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one API key is needed");
    }
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Checks the credentials of one request (either header may be null) and counts the check. */
  public Result authenticate(String apiKeyHeader, String authorizationHeader) {
    Result result;
    if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
      result = check("api_key", apiKeyHeader.trim());
    } else if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      result = check("bearer", authorizationHeader.substring(7).trim());
    } else if (authorizationHeader != null && !authorizationHeader.isBlank()) {
      result = new Result(false, "unsupported", "failure");
    } else {
      result = new Result(false, "none", "missing");
    }
    metrics.apiGateway().recordAuthRequest(result.authType(), result.status());
    return result;
  }

  private Result check(String type, String key) {
    byte[] given = key.getBytes(StandardCharsets.UTF_8);
    boolean known = false;
    for (byte[] k : keys) {
      known |= MessageDigest.isEqual(k, given);
    }
    return new Result(known, type, known ? "success" : "failure");
  }
}
