package io.pyairtable.metrics.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A service as data: its {@code service} label, the Prometheus job that scrapes it and its port
 * relative to a base port. The four PyAirtable services are the built-in default ({@link #all()});
 * any other service is one more value ({@link #of}), so monitoring never depends on a closed list.
 * The demo listens on the built-in ports and the generated {@code prometheus.yml} scrapes them, so
 * the two cannot drift apart; {@code --base-port N} moves all four by the same offset.
 *
 * <pre>{@code
 * int port = ServiceCatalog.AIRTABLE_GATEWAY.port(8000);          // 8002
 * ServiceCatalog users = ServiceCatalog.of("user-service", 4);    // 8004 with the default base
 * }</pre>
 *
 * @param serviceName the {@code service} label value and host name of the service
 * @param offset its port's distance from the base port
 */
public record ServiceCatalog(String serviceName, int offset) {

  /** The port of the API gateway; the others follow it. */
  public static final int DEFAULT_BASE_PORT = 8000;

  /** The prefix of every scrape job name. */
  public static final String JOB_PREFIX = "pyairtable-";

  public static final ServiceCatalog API_GATEWAY = new ServiceCatalog("api-gateway", 0);
  public static final ServiceCatalog MCP_SERVER = new ServiceCatalog("mcp-server", 1);
  public static final ServiceCatalog AIRTABLE_GATEWAY = new ServiceCatalog("airtable-gateway", 2);
  public static final ServiceCatalog LLM_ORCHESTRATOR = new ServiceCatalog("llm-orchestrator", 3);

  public ServiceCatalog {
    Objects.requireNonNull(serviceName, "serviceName");
    if (!serviceName.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException("service name must be a DNS label (lower case letters, digits and '-'): "
          + serviceName);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("port offset must not be negative: " + offset);
    }
  }

  /** A service named {@code name}, listening {@code offset} ports above the base port. */
  public static ServiceCatalog of(String name, int offset) {
    return new ServiceCatalog(name, offset);
  }

  /** The port with the default base port (8000 to 8003 for the built-in services). */
  public int defaultPort() {
    return DEFAULT_BASE_PORT + offset;
  }

  /** The port when the API gateway listens on {@code basePort}. */
  public int port(int basePort) {
    return basePort + offset;
  }

  /** The Prometheus job name of this service: {@code pyairtable-<service>}. */
  public String jobName() {
    return JOB_PREFIX + serviceName;
  }

  /** The four built-in PyAirtable services in port order. */
  public static List<ServiceCatalog> all() {
    return List.of(API_GATEWAY, MCP_SERVER, AIRTABLE_GATEWAY, LLM_ORCHESTRATOR);
  }
}
