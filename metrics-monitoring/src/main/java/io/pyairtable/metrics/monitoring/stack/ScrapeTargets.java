package io.pyairtable.metrics.monitoring.stack;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where Prometheus finds each service: {@code host:port}, with ports from {@link ServiceCatalog}
 * so they match the ports the services listen on. By default each service is reached by its
 * service name on the Compose network ({@code api-gateway:8000} ...); a single host
 * ({@code 127.0.0.1}, {@code host.docker.internal}) and a base port move them all, and single
 * targets can be overridden.
 *
 * <pre>{@code
 * ScrapeTargets local = ScrapeTargets.onHost("127.0.0.1", 9000); // 127.0.0.1:9000..9003
 * }</pre>
 */
public final class ScrapeTargets {

  private final Map<ServiceCatalog, String> targets;

  private ScrapeTargets(Map<ServiceCatalog, String> targets) {
    this.targets = new EnumMap<>(targets);
  }

  /** Each service by its own name on the default ports 8000 to 8003. */
  public static ScrapeTargets byServiceName() {
    return byServiceName(ServiceCatalog.DEFAULT_BASE_PORT);
  }

  /** Each service by its own name, ports counted from {@code basePort}. */
  public static ScrapeTargets byServiceName(int basePort) {
    Map<ServiceCatalog, String> m = new EnumMap<>(ServiceCatalog.class);
    for (ServiceCatalog s : ServiceCatalog.all()) {
      m.put(s, s.serviceName() + ":" + s.port(basePort));
    }
    return new ScrapeTargets(m);
  }

  /** All services on one host, ports counted from {@code basePort}. */
  public static ScrapeTargets onHost(String host, int basePort) {
    Map<ServiceCatalog, String> m = new EnumMap<>(ServiceCatalog.class);
    for (ServiceCatalog s : ServiceCatalog.all()) {
      m.put(s, host + ":" + s.port(basePort));
    }
    return new ScrapeTargets(m);
  }

  /**
   * The services of {@code ports} on {@code host}, each at its own port; a service missing from
   * the map gets no scrape job (for a demo running only some of them).
   */
  public static ScrapeTargets onHost(String host, Map<ServiceCatalog, Integer> ports) {
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("no service ports given");
    }
    Map<ServiceCatalog, String> m = new EnumMap<>(ServiceCatalog.class);
    ports.forEach((s, port) -> m.put(s, host + ":" + port));
    return new ScrapeTargets(m);
  }

  /** These targets with one service moved to {@code hostPort}. */
  public ScrapeTargets with(ServiceCatalog service, String hostPort) {
    Map<ServiceCatalog, String> m = new EnumMap<>(targets);
    m.put(service, hostPort);
    return new ScrapeTargets(m);
  }

  /** The {@code host:port} of a service, or null when it is not scraped. */
  public String target(ServiceCatalog service) {
    return targets.get(service);
  }

  /** True when the service has a target. */
  public boolean scrapes(ServiceCatalog service) {
    return targets.containsKey(service);
  }
}
