package io.pyairtable.metrics.http.chain;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The normalised paths that may be an {@code endpoint} label on an adapter without route
 * templates. A path is confirmed the first time it answers something other than a 4xx (a
 * 401/403/404/405 — or any 4xx — says nothing about whether the path is real) and other than a
 * client failure (499, 408); until then it is recorded as {@code unmatched}. The set is bounded:
 * once it holds {@code limit} paths, new ones stay {@code unmatched}. So a client sending random
 * paths to a handler that answers 401 (or 404) for everything adds no series.
 *
 * <pre>{@code
 * ConfirmedPaths confirmed = new ConfirmedPaths(1000);
 * confirmed.label("/items/{id}", 401); // "unmatched"
 * confirmed.label("/items/{id}", 200); // "/items/{id}", from now on for any status
 * }</pre>
 */
final class ConfirmedPaths {

  private final Set<String> paths = ConcurrentHashMap.newKeySet();
  private final int limit;

  ConfirmedPaths(int limit) {
    this.limit = limit;
  }

  /** {@code normalized} if it is (or now becomes) confirmed, else {@code unmatched}. */
  String label(String normalized, int status) {
    if (paths.contains(normalized)) {
      return normalized;
    }
    if (confirms(status) && paths.size() < limit && paths.add(normalized)) {
      return normalized;
    }
    return paths.contains(normalized) ? normalized : EndpointLabels.UNMATCHED;
  }

  private static boolean confirms(int status) {
    return status < 400 || status >= 500;
  }

  int size() {
    return paths.size();
  }
}
