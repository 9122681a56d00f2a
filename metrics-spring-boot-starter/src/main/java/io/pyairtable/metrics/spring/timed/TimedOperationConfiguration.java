package io.pyairtable.metrics.spring.timed;

import io.pyairtable.metrics.MetricsCollector;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * The {@link TimedOperation} advisor: an infrastructure advisor, so Spring Boot's AOP
 * auto-configuration proxies the annotated beans without AspectJ on the class path.
 *
 * <pre>{@code
 * @TimedOperation("data_sync") public SyncReport sync(String baseId) { ... }
 * }</pre>
 */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public class TimedOperationConfiguration {

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor pyairtableTimedOperationAdvisor(ObjectProvider<MetricsCollector> collector) {
    ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(TimedOperation.class, true))
        .union(AnnotationMatchingPointcut.forMethodAnnotation(TimedOperation.class));
    return new DefaultPointcutAdvisor(pointcut, new LazyInterceptor(collector));
  }

  /** Resolves the collector on first call, so the advisor (created early) pulls no bean in early. */
  private static final class LazyInterceptor implements MethodInterceptor {
    private final ObjectProvider<MetricsCollector> collector;
    private volatile TimedOperationInterceptor delegate;

    LazyInterceptor(ObjectProvider<MetricsCollector> collector) {
      this.collector = collector;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
      TimedOperationInterceptor d = delegate;
      if (d == null) {
        d = new TimedOperationInterceptor(collector.getObject());
        delegate = d;
      }
      return d.invoke(invocation);
    }
  }
}
