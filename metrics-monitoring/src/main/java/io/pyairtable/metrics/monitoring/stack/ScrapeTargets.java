package io.pyairtable.metrics.monitoring.stack;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Prometheus finds each service ({@code host:port}) and the extra labels it puts on the
 * service's series, keyed by service name. The default is every built-in service on 127.0.0.1 at
 * its catalogue port, which is where the demo listens and where a host-networked Prometheus (the
 * Compose stack's) reaches it; {@link #of(Services, String)} follows a services file, and single
 * targets can be overridden.
 *
 * <pre>{@code
 * ScrapeTargets local = ScrapeTargets.onHost("127.0.0.1", 9000); // 127.0.0.1:9000..9003
 * ScrapeTargets all = ScrapeTargets.of(Services.read(Path.of("services.yml")), "127.0.0.1");
 * }</pre>
 */
public final class ScrapeTargets {

  /** The host the default targets are on: the loopback interface of the host Prometheus runs on. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** A scrape target: {@code host:port} and extra labels. */
  public record Target(String hostPort, Map<String, String> labels) {
    public Target {
      labels = Map.copyOf(labels);
    }
  }

  private final Map<String, Target> targets;

  private ScrapeTargets(Map<String, Target> targets) {
    this.targets = new LinkedHashMap<>(targets);
  }

  /** The built-in services on 127.0.0.1, default ports 8000 to 8003. */
  public static ScrapeTargets defaults() {
    return onHost(DEFAULT_HOST, ServiceCatalog.DEFAULT_BASE_PORT);
  }

  /** Each built-in service by its own name on the default ports 8000 to 8003 (a shared container network). */
  public static ScrapeTargets byServiceName() {
    return byServiceName(ServiceCatalog.DEFAULT_BASE_PORT);
  }

  /** Each built-in service by its own name, ports counted from {@code basePort}. */
  public static ScrapeTargets byServiceName(int basePort) {
    Map<String, Target> m = new LinkedHashMap<>();
    for (ServiceCatalog s : ServiceCatalog.all()) {
      m.put(s.serviceName(), new Target(s.serviceName() + ":" + s.port(basePort), Map.of()));
    }
    return new ScrapeTargets(m);
  }

  /** All built-in services on one host, ports counted from {@code basePort}. */
  public static ScrapeTargets onHost(String host, int basePort) {
    return of(Services.builtIn(basePort), host);
  }

  /**
   * Every service of {@code services}: its own {@code target} when it has one, else {@code host}
   * and its port; {@code host} null means each service by its own name.
   */
  public static ScrapeTargets of(Services services, String host) {
    Map<String, Target> m = new LinkedHashMap<>();
    for (MonitoredService s : services.services()) {
      m.put(s.name(), new Target(s.target(host == null ? s.name() : host), s.labels()));
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
    Map<String, Target> m = new LinkedHashMap<>();
    ports.forEach((s, port) -> m.put(s.serviceName(), new Target(host + ":" + port, Map.of())));
    return new ScrapeTargets(m);
  }

  /** These targets with one service (new or not) at {@code hostPort}. */
  public ScrapeTargets with(String serviceName, String hostPort) {
    Map<String, Target> m = new LinkedHashMap<>(targets);
    m.put(ServiceCatalog.of(serviceName, 0).serviceName(), new Target(hostPort, Map.of()));
    return new ScrapeTargets(m);
  }

  /** These targets with one service moved to {@code hostPort}. */
  public ScrapeTargets with(ServiceCatalog service, String hostPort) {
    return with(service.serviceName(), hostPort);
  }

  /** The {@code host:port} of a service, or null when it is not scraped. */
  public String target(ServiceCatalog service) {
    Target t = targets.get(service.serviceName());
    return t == null ? null : t.hostPort();
  }

  /** True when the service has a target. */
  public boolean scrapes(ServiceCatalog service) {
    return targets.containsKey(service.serviceName());
  }

  /** Service name to target, in order. */
  public Map<String, Target> all() {
    return Collections.unmodifiableMap(targets);
  }

  /** The scraped services' names, in order. */
  public List<String> serviceNames() {
    return List.copyOf(targets.keySet());
  }
}
