package io.pyairtable.metrics.monitoring.services;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.rules.SloOverride;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One service to monitor, as a services file lists it: its {@code service} label (and job
 * {@code pyairtable-<name>}), where Prometheus scrapes it (a {@code port} on the export's targets
 * host, or a full {@code host:port} {@code target}), optional SLOs (fields left out keep the
 * defaults), optional extra target labels, and what the Kubernetes workloads use: the health
 * (liveness) and readiness paths, the container image and the environment variables read from the
 * workloads' Secret.
 *
 * <pre>{@code
 * MonitoredService users = new MonitoredService("user-service", 8010, null,
 *     new MonitoredService.Slo(0.995, null, 0.5, null), Map.of("team", "accounts"), "/healthz", null,
 *     "/readyz", List.of("USER_DB_PASSWORD"));
 * }</pre>
 *
 * @param name the {@code service} label value, a DNS label
 * @param port the port on the targets host, or null when {@code target} is given
 * @param target {@code host:port}, or null to use the targets host and {@code port}
 * @param slo SLO settings, or null for the defaults
 * @param labels extra labels on every series scraped from the service (may be empty)
 * @param healthPath the health endpoint (default {@code /health})
 * @param image the container image, or null (the export's image pattern)
 * @param readinessPath the readiness endpoint (default {@code /health/ready} when the health path is
 *     the default {@code /health}, as the turnkey service serves it; else the health path)
 * @param secrets environment variables set from the workloads' Secret, each from the key of the same
 *     name (default: what the built-in service of that name reads, e.g. {@code AIRTABLE_API_KEY}; none
 *     for other services)
 */
public record MonitoredService(
    String name,
    Integer port,
    String target,
    Slo slo,
    Map<String, String> labels,
    String healthPath,
    String image,
    String readinessPath,
    List<String> secrets) {

  /** The default health endpoint. */
  public static final String DEFAULT_HEALTH_PATH = "/health";

  /** The readiness endpoint of the turnkey service. */
  public static final String DEFAULT_READINESS_PATH = "/health/ready";

  /** What each built-in service reads from its Secret. */
  private static final Map<String, List<String>> BUILT_IN_SECRETS = Map.of(
      "api-gateway", List.of("API_GATEWAY_KEYS"),
      "airtable-gateway", List.of("AIRTABLE_API_KEY", "AIRTABLE_WEBHOOK_MAC_SECRET"),
      "llm-orchestrator", List.of("GEMINI_API_KEY", "LLM_DATABASE_PASSWORD"),
      "mcp-server", List.of());

  /** Labels Prometheus owns or the alerts key on; a service may not set them. */
  private static final Set<String> RESERVED = Set.of("service", "job", "instance", "le");

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
    readinessPath = readinessPath != null ? readinessPath
        : healthPath.equals(DEFAULT_HEALTH_PATH) ? DEFAULT_READINESS_PATH : healthPath;
    if (!readinessPath.startsWith("/")) {
      throw new IllegalArgumentException("readiness path of " + name + " must start with /: " + readinessPath);
    }
    secrets = secrets != null ? List.copyOf(secrets) : BUILT_IN_SECRETS.getOrDefault(name, List.of());
    for (String variable : secrets) {
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("secret " + variable + " of " + name + " is not an environment variable name");
      }
    }
  }

  /** A service without readiness path or secrets of its own (the defaults apply). */
  public MonitoredService(String name, Integer port, String target, Slo slo, Map<String, String> labels,
      String healthPath, String image) {
    this(name, port, target, slo, labels, healthPath, image, null, null);
  }

  /** The container port: {@code port}, else the port of {@code target}. */
  public int containerPort() {
    return port != null ? port : Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
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
