package io.pyairtable.metrics.spring.integrations;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.BeanFactory;

/**
 * Micrometer's Hikari tracker from the application's {@link MeterRegistry}; loaded only when
 * Micrometer is on the class path.
 *
 * <pre>{@code
 * MetricsTrackerFactory f = MicrometerHikari.factory(beanFactory); // null without a MeterRegistry bean
 * }</pre>
 */
final class MicrometerHikari {

  private MicrometerHikari() {}

  static MetricsTrackerFactory factory(BeanFactory beans) {
    MeterRegistry registry = beans.getBeanProvider(MeterRegistry.class).getIfAvailable();
    return registry == null ? null : new MicrometerMetricsTrackerFactory(registry);
  }
}
