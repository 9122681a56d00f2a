package io.pyairtable.metrics;

/**
 * The states {@code gateway_backend_health_status} shows for a backend instance.
 *
 * <pre>{@code
 * collector.apiGateway().updateBackendHealth("mcp-server", "127.0.0.1:8001", BackendHealth.HEALTHY);
 * }</pre>
 */
public enum BackendHealth {
  HEALTHY("healthy"),
  UNHEALTHY("unhealthy"),
  UNKNOWN("unknown");

  private final String label;

  BackendHealth(String label) {
    this.label = label;
  }

  /** The state as exposed in the {@code gateway_backend_health_status} label. */
  public String label() {
    return label;
  }
}
