package io.pyairtable.metrics.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.spring.config.PyAirtableMetricsProperties;
import io.pyairtable.metrics.spring.integrations.IntegrationsConfiguration;
import io.pyairtable.metrics.spring.micrometer.MicrometerConventionsConfiguration;
import io.pyairtable.metrics.spring.timed.TimedOperationConfiguration;
import io.pyairtable.metrics.spring.web.SpringMvcMetricsConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * PyAirtable metrics in a Spring Boot 4 application: the collector from {@code pyairtable.metrics.*}
 * in the one client_java {@link PrometheusRegistry} that Actuator's Prometheus endpoint scrapes
 * and Micrometer's {@code PrometheusMeterRegistry} writes into (so one scrape serves both, every
 * series with the same {@code service} label), the request chain as a servlet filter with Spring
 * MVC's matched pattern as {@code endpoint}, {@link io.pyairtable.metrics.spring.timed.TimedOperation}, and the integrations whose
 * libraries are present.
 *
 * <pre>{@code
 * spring.application.name: user-service
 * management.endpoints.web.exposure.include: prometheus
 * # GET /actuator/prometheus -> http_requests_total{endpoint="/users/{id}",service="user-service",...}
 * }</pre>
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus."
        + "PrometheusMetricsExportAutoConfiguration",
    afterName = {"org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
@EnableConfigurationProperties(PyAirtableMetricsProperties.class)
@Import({TimedOperationConfiguration.class, IntegrationsConfiguration.Resilience4j.class,
    IntegrationsConfiguration.Hikari.class, IntegrationsConfiguration.CaffeineCaches.class,
    IntegrationsConfiguration.RateLimiter.class, MicrometerConventionsConfiguration.class})
public class PyAirtableMetricsAutoConfiguration {

  /** The one client_java registry: Actuator's endpoint and Micrometer's registry take this bean. */
  @Bean
  @ConditionalOnMissingBean
  public PrometheusRegistry prometheusRegistry() {
    return new PrometheusRegistry();
  }

  @Bean
  @ConditionalOnMissingBean
  public MetricsCollector pyairtableMetricsCollector(PyAirtableMetricsProperties properties, Environment environment,
      PrometheusRegistry registry, ObjectProvider<BuildProperties> build) {
    BuildProperties info = build.getIfAvailable();
    return CollectorFactory.create(properties, environment, registry, info == null ? null : info.getVersion());
  }

  /** Micrometer's meters get the collector's {@code service} label (and {@code version} when opted in). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, MeterRegistryCustomizer.class})
  public static class MicrometerTags {
    @Bean
    public MeterRegistryCustomizer<MeterRegistry> pyairtableCommonTags(MetricsCollector collector) {
      return registry -> {
        registry.config().commonTags("service", collector.serviceName());
        if (collector.config().versionOnEverySeries()) {
          registry.config().commonTags("version", collector.version());
        }
      };
    }
  }

  /** The request chain on the servlet stack. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = {"org.springframework.web.servlet.DispatcherServlet",
      "org.springframework.boot.web.servlet.FilterRegistrationBean"})
  @Import(SpringMvcMetricsConfiguration.class)
  public static class ServletStack {
  }
}
