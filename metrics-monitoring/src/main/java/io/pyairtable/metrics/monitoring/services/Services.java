package io.pyairtable.metrics.monitoring.services;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.rules.SloOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services the monitoring follows: scrape jobs, SLO rules, the dashboards' {@code service}
 * variable and the Kubernetes ServiceMonitors are generated for each. The four PyAirtable services
 * are the built-in default; a services file adds services and overrides built-in ones by name
 * ({@code builtIn: false} to monitor only the file's services).
 *
 * <pre>{@code
 * Services services = Services.read(Path.of("services.yml"));
 * // builtIn: true            # the default: keep api-gateway ... llm-orchestrator
 * // services:
 * //   - name: user-service
 * //     port: 8010           # or target: users.internal:9100
 * //     slo: {availabilityObjective: 0.995, latencyThresholdSeconds: 0.5}
 * //     labels: {team: accounts}
 * //     healthPath: /healthz
 * //     image: ghcr.io/example/user-service:1.4.2
 * }</pre>
 *
 * @param services in order, names unique
 */
public record Services(List<MonitoredService> services) {

  public Services {
    services = List.copyOf(services);
    if (services.isEmpty()) {
      throw new IllegalArgumentException("no service to monitor");
    }
    if (services.stream().map(MonitoredService::name).distinct().count() != services.size()) {
      throw new IllegalArgumentException("a service appears twice");
    }
  }

  /** The four PyAirtable services on their default ports (8000 to 8003). */
  public static Services defaults() {
    return builtIn(ServiceCatalog.DEFAULT_BASE_PORT);
  }

  /** The four PyAirtable services with ports counted from {@code basePort}. */
  public static Services builtIn(int basePort) {
    return new Services(ServiceCatalog.all().stream().map(s -> MonitoredService.builtIn(s, basePort)).toList());
  }

  /** Reads a services file; built-in services use ports counted from {@code basePort}. */
  public static Services read(Path file, int basePort) throws IOException {
    ServicesFile f = YamlDocuments.mapper().readValue(Files.readString(file), ServicesFile.class);
    List<MonitoredService> listed = f.services() == null ? List.of() : f.services();
    Map<String, MonitoredService> merged = new LinkedHashMap<>();
    if (f.builtIn() == null || f.builtIn()) {
      builtIn(basePort).services().forEach(s -> merged.put(s.name(), s));
    }
    List<String> seen = new ArrayList<>();
    for (MonitoredService s : listed) {
      if (seen.contains(s.name())) {
        throw new IllegalArgumentException("service " + s.name() + " appears twice in " + file);
      }
      seen.add(s.name());
      merged.put(s.name(), s);
    }
    return new Services(new ArrayList<>(merged.values()));
  }

  /** Reads a services file with the built-in services on their default ports. */
  public static Services read(Path file) throws IOException {
    return read(file, ServiceCatalog.DEFAULT_BASE_PORT);
  }

  /** The names, in order. */
  public List<String> names() {
    return services.stream().map(MonitoredService::name).toList();
  }

  /** The SLOs: the defaults for every service, with each service's own settings applied. */
  public SloConfig sloConfig() {
    List<SloOverride> overrides = services.stream().map(MonitoredService::sloOverride).toList();
    return new SloConfig(List.of()).merge(overrides);
  }

  /** The file's shape. */
  record ServicesFile(@JsonProperty("builtIn") Boolean builtIn, List<MonitoredService> services) {}
}
