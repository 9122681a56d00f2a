package io.pyairtable.metrics.examples.config;

import java.util.Objects;

/**
 * What the config builders of the four example services share: the address the service listens
 * on (default {@code 127.0.0.1}; {@code 0.0.0.0} for all interfaces) and its port (0: a free one).
 * A launcher ({@code serve SERVICE}, the demo) sets both on whatever builder
 * {@code XConfig.fromEnvironment(env)} returned, without knowing which service it is.
 *
 * <pre>{@code
 * ServiceConfigBuilder<?> b = McpConfig.fromEnvironment(System.getenv());
 * b.host("0.0.0.0").port(8080);
 * }</pre>
 *
 * @param <B> the concrete builder, returned by the setters for chaining
 */
public abstract class ServiceConfigBuilder<B extends ServiceConfigBuilder<B>> {

  private String host = "127.0.0.1";
  private int port;

  /** A builder whose port is {@code defaultPort} until set. */
  protected ServiceConfigBuilder(int defaultPort) {
    this.port = defaultPort;
  }

  /** The address to listen on. */
  public final B host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return self();
  }

  /** The port to listen on; 0 picks a free one. */
  public final B port(int port) {
    this.port = port;
    return self();
  }

  protected final String host() {
    return host;
  }

  protected final int port() {
    return port;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
