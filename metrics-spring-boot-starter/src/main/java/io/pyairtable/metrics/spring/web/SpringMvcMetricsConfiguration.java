package io.pyairtable.metrics.spring.web;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.servlet.MetricsEndpointServlet;
import io.pyairtable.metrics.http.servlet.MetricsServletFilter;
import io.pyairtable.metrics.spring.config.PyAirtableMetricsProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The request chain in a Spring MVC application: the metrics filter (correlation id, metrics,
 * access log; Spring keeps its own error handling and error pages), the route-template
 * interceptor, the exception-type recorder and, when asked for, the project's {@code /metrics}.
 *
 * <pre>{@code
 * pyairtable.metrics.http.excluded-paths: [/metrics, /health, /actuator]
 * pyairtable.metrics.endpoint.enabled: true
 * }</pre>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "pyairtable.metrics.http.enabled", matchIfMissing = true)
public class SpringMvcMetricsConfiguration {

  /** Right after Spring's own observation filter, before security and the rest. */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

  @Bean
  @ConditionalOnMissingBean
  public RequestChain pyairtableRequestChain(MetricsCollector collector, PyAirtableMetricsProperties properties) {
    PyAirtableMetricsProperties.Http http = properties.getHttp();
    return new RequestChain(MiddlewareOptions.builder()
        .metricsCollector(collector)
        .enableErrorHandling(false) // Spring MVC answers errors (ExceptionHandler, error page)
        .enableRequestLogging(http.isAccessLog())
        .correlationHeader(http.getCorrelationHeader())
        .excludedPaths(http.getExcludedPaths())
        .build());
  }

  @Bean
  public FilterRegistrationBean<MetricsServletFilter> pyairtableMetricsFilter(RequestChain chain) {
    FilterRegistrationBean<MetricsServletFilter> registration =
        new FilterRegistrationBean<>(new MetricsServletFilter(chain, true));
    registration.setName("pyairtableMetricsFilter");
    registration.setOrder(FILTER_ORDER);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    registration.setAsyncSupported(true);
    return registration;
  }

  @Bean
  public ExceptionTypeRecorder pyairtableExceptionTypeRecorder(RequestChain chain) {
    return new ExceptionTypeRecorder(chain);
  }

  @Bean
  public WebMvcConfigurer pyairtableRouteTemplates() {
    return new WebMvcConfigurer() {
      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new RouteTemplateInterceptor()).order(Ordered.HIGHEST_PRECEDENCE);
      }
    };
  }

  @Bean
  @ConditionalOnBooleanProperty("pyairtable.metrics.endpoint.enabled")
  public ServletRegistrationBean<MetricsEndpointServlet> pyairtableMetricsEndpoint(MetricsCollector collector,
      PyAirtableMetricsProperties properties, Environment environment) {
    String token = properties.getEndpoint().getToken() != null ? properties.getEndpoint().getToken()
        : environment.getProperty("METRICS_TOKEN");
    MetricsAuth auth = token == null || token.isBlank() ? MetricsAuth.none() : MetricsAuth.bearer(token);
    ServletRegistrationBean<MetricsEndpointServlet> registration = new ServletRegistrationBean<>(
        new MetricsEndpointServlet(new MetricsEndpoint(collector, auth)), collector.config().endpoint());
    registration.setName("pyairtableMetricsEndpoint");
    return registration;
  }
}
