package io.pyairtable.metrics.monitoring.rules;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The SLO configuration: one {@link ServiceSlo} per service. The defaults are 99.9% availability
 * and 99.9% of requests within 1 s (10 s for the LLM orchestrator, whose requests wait on Gemini)
 * over 30 days. A YAML or JSON file of the same shape overrides them.
 *
 * <pre>{@code
 * SloConfig slos = SloConfig.read(Path.of("slo.yml"));
 * // slos:
 * //   - {service: api-gateway, availabilityObjective: 0.999, latencyObjective: 0.99,
 * //      latencyThresholdSeconds: 0.5, period: 30d}
 * }</pre>
 *
 * @param slos one entry per service
 */
public record SloConfig(List<ServiceSlo> slos) {

  /** The default objective for availability and latency. */
  public static final double DEFAULT_OBJECTIVE = 0.999;

  /** The default SLO period. */
  public static final String DEFAULT_PERIOD = "30d";

  public SloConfig {
    slos = List.copyOf(slos);
    if (slos.stream().map(ServiceSlo::service).distinct().count() != slos.size()) {
      throw new IllegalArgumentException("a service appears twice in the SLO configuration");
    }
  }

  /** The defaults for the four services of {@link ServiceCatalog}. */
  public static SloConfig defaults() {
    return new SloConfig(ServiceCatalog.all().stream()
        .map(s -> new ServiceSlo(s.serviceName(), DEFAULT_OBJECTIVE, DEFAULT_OBJECTIVE,
            s == ServiceCatalog.LLM_ORCHESTRATOR ? 10.0 : 1.0, DEFAULT_PERIOD))
        .toList());
  }

  /** Reads a YAML (or JSON) file with a top-level {@code slos} list. */
  public static SloConfig read(Path file) throws IOException {
    return YamlDocuments.mapper().readValue(Files.readString(file), SloConfig.class);
  }
}
