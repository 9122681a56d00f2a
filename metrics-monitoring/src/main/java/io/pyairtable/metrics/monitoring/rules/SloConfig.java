package io.pyairtable.metrics.monitoring.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SLO configuration: one {@link ServiceSlo} per service. The defaults are 99.9% availability
 * and 99.9% of requests within 1 s (10 s for the LLM orchestrator, whose requests wait on Gemini)
 * over 30 days. An SLO file adds to and overrides them per service and per field: a service it
 * does not name keeps its defaults, a field it leaves out keeps its value, a new service gets the
 * defaults for what it leaves out. Nothing is dropped silently.
 *
 * <pre>{@code
 * SloConfig slos = SloConfig.read(Path.of("slo.yml"));   // the defaults, merged with the file
 * // slos:
 * //   - {service: api-gateway, availabilityObjective: 0.995, latencyThresholdSeconds: 0.5}
 * //   - {service: user-service}
 * }</pre>
 *
 * @param slos one entry per service
 */
public record SloConfig(List<ServiceSlo> slos) {

  /** The default objective for availability and latency. */
  public static final double DEFAULT_OBJECTIVE = 0.999;

  /** The default SLO period. */
  public static final String DEFAULT_PERIOD = "30d";

  /** The default latency threshold in seconds. */
  public static final double DEFAULT_LATENCY_THRESHOLD_SECONDS = 1.0;

  public SloConfig {
    slos = List.copyOf(slos);
    if (slos.stream().map(ServiceSlo::service).distinct().count() != slos.size()) {
      throw new IllegalArgumentException("a service appears twice in the SLO configuration");
    }
  }

  /** The defaults for the four built-in services of {@link ServiceCatalog}. */
  public static SloConfig defaults() {
    return new SloConfig(ServiceCatalog.all().stream().map(s -> defaultFor(s.serviceName())).toList());
  }

  /** The default SLOs of a service: 99.9% over 30 days, within 1 s (10 s for the LLM orchestrator). */
  public static ServiceSlo defaultFor(String service) {
    double threshold = service.equals(ServiceCatalog.LLM_ORCHESTRATOR.serviceName())
        ? 10.0 : DEFAULT_LATENCY_THRESHOLD_SECONDS;
    return new ServiceSlo(service, DEFAULT_OBJECTIVE, DEFAULT_OBJECTIVE, threshold, DEFAULT_PERIOD);
  }

  /** These SLOs with {@code overrides} applied: existing services overridden field by field, new ones added. */
  public SloConfig merge(List<SloOverride> overrides) {
    Map<String, ServiceSlo> byService = new LinkedHashMap<>();
    slos.forEach(s -> byService.put(s.service(), s));
    List<String> seen = new ArrayList<>();
    for (SloOverride o : overrides) {
      if (seen.contains(o.service())) {
        throw new IllegalArgumentException("service " + o.service() + " appears twice in the SLO file");
      }
      seen.add(o.service());
      byService.put(o.service(), o.applyTo(byService.getOrDefault(o.service(), defaultFor(o.service()))));
    }
    return new SloConfig(new ArrayList<>(byService.values()));
  }

  /** The services' names, in order. */
  public List<String> services() {
    return slos.stream().map(ServiceSlo::service).toList();
  }

  /** Reads the overrides of a YAML (or JSON) file with a top-level {@code slos} list. */
  public static List<SloOverride> readOverrides(Path file) throws IOException {
    return YamlDocuments.mapper().readValue(Files.readString(file), SloFile.class).slos();
  }

  /** The defaults merged with a YAML (or JSON) file with a top-level {@code slos} list. */
  public static SloConfig read(Path file) throws IOException {
    return defaults().merge(readOverrides(file));
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  record SloFile(List<SloOverride> slos) {
    SloFile {
      slos = slos == null ? List.of() : slos;
    }
  }
}
