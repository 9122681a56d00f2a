package io.pyairtable.metrics.examples.gateway;

import java.net.URI;
import java.util.Objects;

/**
 * One backend instance behind the API gateway: the service it runs (the
 * {@code backend_service}/{@code target_service} label), its base URI and its instance label
 * ({@code host:port}).
 *
 * <pre>{@code
 * Backend airtable = Backend.of("airtable-gateway", URI.create("http://127.0.0.1:8002"));
 * airtable.instance(); // "127.0.0.1:8002"
 * }</pre>
 *
 * @param service the service name
 * @param baseUri where it listens, without a trailing slash
 * @param instance the {@code backend_instance} label
 */
public record Backend(String service, URI baseUri, String instance) {

  public Backend {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(instance, "instance");
  }

  /** A backend whose instance label is the URI's {@code host:port}. */
  public static Backend of(String service, URI baseUri) {
    String text = baseUri.toString();
    URI base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    return new Backend(service, base, base.getHost() + ":" + base.getPort());
  }

  /** The URI of {@code pathAndQuery} (starting with {@code /}) on this backend. */
  public URI resolve(String pathAndQuery) {
    return URI.create(baseUri + pathAndQuery);
  }
}
