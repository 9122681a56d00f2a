package io.pyairtable.metrics.spring.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;

/**
 * Makes Micrometer's own meters pass {@code promtool check metrics} in the one Actuator scrape:
 * a meter registered without a description gets one (a known text for the meters Spring Boot and
 * Tomcat register without, a generic one otherwise), {@code system.cpu.count} (a gauge whose
 * Prometheus name would end in the histogram-reserved {@code _count}) is exposed as
 * {@code system.cpu.logical}, and the two counters Micrometer keeps in milliseconds and
 * nanoseconds ({@code jvm.compilation.time}, {@code process.cpu.time}) are dropped in favour of
 * {@link SecondsMeters}, which registers them in seconds, Prometheus' base unit.
 *
 * <pre>{@code
 * registry.config().meterFilter(new PrometheusConventionsFilter());
 * // jvm_compilation_time_ms_total  ->  jvm_compilation_time_seconds_total
 * // system_cpu_count               ->  system_cpu_logical
 * }</pre>
 */
public final class PrometheusConventionsFilter implements MeterFilter {

  /** Descriptions for the meters Spring Boot, Spring MVC and Tomcat register without one. */
  static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("http.server.requests", "Duration of HTTP server requests handled by Spring MVC"),
      Map.entry("http.server.requests.active", "HTTP server requests in progress"),
      Map.entry("http.client.requests", "Duration of HTTP client requests"),
      Map.entry("http.client.requests.active", "HTTP client requests in progress"),
      Map.entry("tomcat.sessions.active.current", "Active Tomcat sessions"),
      Map.entry("tomcat.sessions.active.max", "Most Tomcat sessions active at the same time"),
      Map.entry("tomcat.sessions.alive.max", "Longest time an expired Tomcat session was alive"),
      Map.entry("tomcat.sessions.created", "Tomcat sessions created"),
      Map.entry("tomcat.sessions.expired", "Tomcat sessions expired"),
      Map.entry("tomcat.sessions.rejected", "Tomcat sessions rejected because the maximum was reached"));

  /** Renamed meters: their Prometheus name broke a naming rule. */
  static final Map<String, String> NAMES = Map.of("system.cpu.count", "system.cpu.logical");

  /** Counters Micrometer keeps in a non-base unit, replaced by {@link SecondsMeters}. */
  static final Map<String, String> NON_BASE_UNITS = Map.of(
      SecondsMeters.COMPILATION_TIME, "ms",
      SecondsMeters.PROCESS_CPU_TIME, "ns");

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    String unit = NON_BASE_UNITS.get(id.getName());
    return unit != null && unit.equals(id.getBaseUnit()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    Meter.Id mapped = id;
    String name = NAMES.get(id.getName());
    if (name != null) {
      mapped = mapped.withName(name);
    }
    String description = mapped.getDescription();
    if ((description == null || description.isBlank()) && mapped.syntheticAssociation() == null) {
      String text = DESCRIPTIONS.getOrDefault(id.getName(), "Micrometer meter " + id.getName());
      mapped = new Meter.Id(mapped.getName(), Tags.of(mapped.getTagsAsIterable()), mapped.getBaseUnit(), text,
          mapped.getType());
    }
    return mapped;
  }
}
