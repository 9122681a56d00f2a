package io.pyairtable.metrics.examples.gateway;

import java.util.Objects;

/**
 * A route of the API gateway: requests under {@code prefix} go to {@code backend} with the prefix
 * replaced by {@code backendPrefix}. {@link #template()} is the {@code route} label, the same for
 * every request of the route, so a record id in a path never becomes a label value.
 *
 * <pre>{@code
 * GatewayRoute r = new GatewayRoute("/api/airtable", "", airtableBackend);
 * r.template();                                    // "/api/airtable/**"
 * r.backendPath("/api/airtable/bases/app1/tables"); // "/bases/app1/tables"
 * }</pre>
 *
 * @param prefix the public path prefix, without a trailing slash
 * @param backendPrefix what the prefix becomes on the backend ("" strips it)
 * @param backend where requests go
 */
public record GatewayRoute(String prefix, String backendPrefix, Backend backend) {

  public GatewayRoute {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(backendPrefix, "backendPrefix");
    Objects.requireNonNull(backend, "backend");
    if (!prefix.startsWith("/") || prefix.endsWith("/")) {
      throw new IllegalArgumentException("a route prefix starts with / and does not end with one: " + prefix);
    }
  }

  /** The {@code route} label: the prefix plus {@code /**}. */
  public String template() {
    return prefix + "/**";
  }

  /** The path on the backend for a public {@code path} under this route. */
  public String backendPath(String path) {
    if (!matches(path)) {
      throw new IllegalArgumentException(path + " is not under " + prefix);
    }
    String rest = path.substring(prefix.length());
    String mapped = backendPrefix + rest;
    return mapped.isEmpty() ? "/" : mapped;
  }

  /** True when {@code path} is the prefix itself or below it. */
  public boolean matches(String path) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
