package io.pyairtable.metrics.http.chain;

import java.util.List;

/**
 * Paths left out of metrics and the access log, each covering its sub-paths on a segment
 * boundary: {@code /health} excludes {@code /health} and {@code /health/ready}, not {@code /healthz}.
 *
 * <pre>{@code
 * ExcludedPaths excluded = new ExcludedPaths(List.of("/metrics", "/health"));
 * excluded.matches("/health/ready"); // true
 * excluded.matches("/healthz");      // false
 * }</pre>
 */
final class ExcludedPaths {

  private final String[] prefixes;

  public ExcludedPaths(List<String> paths) {
    this.prefixes = paths.stream().map(ExcludedPaths::normalize).toArray(String[]::new);
  }

  /** {@code path} with a leading slash and no trailing slash ("/" stays "/"). */
  public static String normalize(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a path must not be blank");
    }
    String p = path.trim();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Whether {@code path} is one of the prefixes or below one. */
  public boolean matches(String path) {
    if (path == null) {
      return false;
    }
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) {
        int n = prefix.length();
        if (path.length() == n || path.charAt(n) == '/' || "/".equals(prefix)) {
          return true;
        }
      }
    }
    return false;
  }
}
