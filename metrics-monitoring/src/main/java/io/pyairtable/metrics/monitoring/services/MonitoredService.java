package io.pyairtable.metrics.monitoring.services;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.rules.SloOverride;
import java.util.Map;
import java.util.Objects;

/**
 * One service to monitor, as a services file lists it: its {@code service} label (and job
 * {@code pyairtable-<name>}), where Prometheus scrapes it (a {@code port} on the export's targets
 * host, or a full {@code host:port} {@code target}), optional SLOs (fields left out keep the
 * defaults), optional extra target labels, and the health path and container image the
 * Kubernetes workloads will use.
 *
 * <pre>{@code
 * MonitoredService users = new MonitoredService("user-service", 8010, null,
 *     new MonitoredService.Slo(0.995, null, 0.5, null), Map.of("team", "accounts"), "/health", null);
 * }</pre>
 *
 * @param name the {@code service} label value, a DNS label
 * @param port the port on the targets host, or null when {@code target} is given
 * @param target {@code host:port}, or null to use the targets host and {@code port}
 * @param slo SLO settings, or null for the defaults
 * @param labels extra labels on every series scraped from the service (may be empty)
 * @param healthPath the health endpoint (default {@code /health})
 * @param image the container image, or null
 */
public record MonitoredService(
    String name,
    Integer port,
    String target,
    Slo slo,
    Map<String, String> labels,
    String healthPath,
    String image) {

  /** The default health endpoint. */
  public static final String DEFAULT_HEALTH_PATH = "/health";

  /** Labels Prometheus owns or the alerts key on; a service may not set them. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("service", "job", "instance", "le");

  public MonitoredService {
    Objects.requireNonNull(name, "a service needs a name");
    ServiceCatalog.of(name, 0); // validates the name
    if (port == null && target == null) {
      throw new IllegalArgumentException("service " + name + " needs a port or a target (host:port)");
    }
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port of " + name + " must be 1-65535: " + port);
    }
    if (target != null && !target.matches("[^\\s/:]+:[0-9]{1,5}")) {
      throw new IllegalArgumentException("target of " + name + " must be host:port: " + target);
    }
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    for (String l : labels.keySet()) {
      if (RESERVED.contains(l) || !l.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new IllegalArgumentException("label " + l + " of " + name + " is reserved or not a label name");
      }
    }
    healthPath = healthPath == null ? DEFAULT_HEALTH_PATH : healthPath;
    if (!healthPath.startsWith("/")) {
      throw new IllegalArgumentException("health path of " + name + " must start with /: " + healthPath);
    }
  }

  /** A built-in service at its port counted from {@code basePort}. */
  public static MonitoredService builtIn(ServiceCatalog s, int basePort) {
    return new MonitoredService(s.serviceName(), s.port(basePort), null, null, Map.of(), DEFAULT_HEALTH_PATH,
        null);
  }

  /** The Prometheus job name: {@code pyairtable-<name>}. */
  public String jobName() {
    return ServiceCatalog.of(name, 0).jobName();
  }

  /** Where to scrape it: {@code target}, else {@code host:port}. */
  public String target(String host) {
    return target != null ? target : host + ":" + port;
  }

  /** The SLO settings as an override of the defaults (all fields null when none were given). */
  public SloOverride sloOverride() {
    Slo s = slo == null ? new Slo(null, null, null, null) : slo;
    return new SloOverride(name, s.availabilityObjective(), s.latencyObjective(), s.latencyThresholdSeconds(),
        s.period());
  }

  /**
   * SLO settings of a service in a services file; a field left out keeps the default.
   *
   * @param availabilityObjective or null
   * @param latencyObjective or null
   * @param latencyThresholdSeconds or null (a bucket boundary of the request duration histogram)
   * @param period or null ({@code 30d})
   */
  public record Slo(Double availabilityObjective, Double latencyObjective, Double latencyThresholdSeconds,
      String period) {}
}
