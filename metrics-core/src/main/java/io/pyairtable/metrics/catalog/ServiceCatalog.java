package io.pyairtable.metrics.catalog;

import java.util.List;

/**
 * The PyAirtable services, their {@code service} label and default port, defined once: the demo
 * listens on these ports and the generated {@code prometheus.yml} scrapes them, so the two cannot
 * drift apart. {@code --base-port N} moves all four by the same offset.
 *
 * <pre>{@code
 * int port = ServiceCatalog.AIRTABLE_GATEWAY.port(8000); // 8002
 * }</pre>
 */
public enum ServiceCatalog {
  API_GATEWAY("api-gateway", 0),
  MCP_SERVER("mcp-server", 1),
  AIRTABLE_GATEWAY("airtable-gateway", 2),
  LLM_ORCHESTRATOR("llm-orchestrator", 3);

  /** The port of the API gateway; the others follow it. */
  public static final int DEFAULT_BASE_PORT = 8000;

  private final String serviceName;
  private final int offset;

  ServiceCatalog(String serviceName, int offset) {
    this.serviceName = serviceName;
    this.offset = offset;
  }

  /** The {@code service} label value and host name of this service. */
  public String serviceName() {
    return serviceName;
  }

  /** The port with the default base port (8000 to 8003). */
  public int defaultPort() {
    return DEFAULT_BASE_PORT + offset;
  }

  /** The port when the API gateway listens on {@code basePort}. */
  public int port(int basePort) {
    return basePort + offset;
  }

  /** The Prometheus job name of this service. */
  public String jobName() {
    return "pyairtable-" + serviceName;
  }

  /** All four services in port order. */
  public static List<ServiceCatalog> all() {
    return List.of(values());
  }
}
