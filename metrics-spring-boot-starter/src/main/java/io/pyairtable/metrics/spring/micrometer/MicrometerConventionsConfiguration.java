package io.pyairtable.metrics.spring.micrometer;

import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer's meters named and described the way Prometheus' conventions want, so the whole
 * Actuator scrape passes {@code promtool check metrics}: the {@link PrometheusConventionsFilter}
 * (Boot applies every {@code MeterFilter} bean to the application's registries) and the
 * {@link SecondsMeters} that replace the millisecond and nanosecond counters. On by default.
 *
 * <pre>{@code
 * pyairtable.metrics.micrometer.prometheus-conventions: false   # Micrometer's names as they are
 * }</pre>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"io.micrometer.core.instrument.config.MeterFilter",
    "io.micrometer.prometheusmetrics.PrometheusMeterRegistry"})
@ConditionalOnBooleanProperty(name = MicrometerConventionsConfiguration.PROPERTY, matchIfMissing = true)
public class MicrometerConventionsConfiguration {

  /** The switch: {@code true} unless set. */
  public static final String PROPERTY = "pyairtable.metrics.micrometer.prometheus-conventions";

  @Bean
  public static MeterFilter pyairtablePrometheusConventions() {
    return new PrometheusConventionsFilter();
  }

  @Bean
  public SecondsMeters pyairtableSecondsMeters(ObjectProvider<JvmCompilationMetrics> compilation,
      ObjectProvider<ProcessorMetrics> processor) {
    return new SecondsMeters(compilation.getIfAvailable() != null, processor.getIfAvailable() != null);
  }
}
