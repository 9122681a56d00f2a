package io.pyairtable.metrics.spring.integrations;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.jdbc.HikariPoolMetrics;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Instruments every {@link HikariDataSource} bean with metrics-integrations' tracker
 * ({@code database_connections_*{pool}}, acquire/usage/creation times, timeouts). Hikari takes one
 * tracker factory, and Spring Boot installs Micrometer's only when none is set, so when a
 * Micrometer registry exists both trackers are installed together: the {@code hikaricp_*} meters
 * stay in the scrape.
 *
 * <pre>{@code
 * spring.datasource.url: jdbc:h2:mem:users     # Boot's HikariDataSource: instrumented as it is created
 * }</pre>
 */
public final class HikariMetricsPostProcessor implements BeanPostProcessor {

  private final ObjectProvider<MetricsCollector> collector;
  private final Supplier<MetricsTrackerFactory> micrometer;

  /**
   * @param micrometer the Micrometer tracker factory to keep beside ours, or a supplier of null
   */
  public HikariMetricsPostProcessor(ObjectProvider<MetricsCollector> collector,
      Supplier<MetricsTrackerFactory> micrometer) {
    this.collector = collector;
    this.micrometer = micrometer;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource) {
      HikariDataSource ds = (HikariDataSource) bean;
      if (ds.getMetricRegistry() == null) {
        MetricsTrackerFactory existing = ds.getMetricsTrackerFactory();
        HikariPoolMetrics ours = HikariPoolMetrics.instrument(ds, collector.getObject());
        MetricsTrackerFactory other = existing != null ? existing : micrometer.get();
        if (other != null) {
          ds.setMetricsTrackerFactory(both(ours, other));
        }
      }
    }
    return bean;
  }

  static MetricsTrackerFactory both(MetricsTrackerFactory a, MetricsTrackerFactory b) {
    return (String pool, PoolStats stats) -> {
      IMetricsTracker x = a.create(pool, stats);
      IMetricsTracker y = b.create(pool, stats);
      return new IMetricsTracker() {
        @Override
        public void recordConnectionCreatedMillis(long millis) {
          x.recordConnectionCreatedMillis(millis);
          y.recordConnectionCreatedMillis(millis);
        }

        @Override
        public void recordConnectionAcquiredNanos(long nanos) {
          x.recordConnectionAcquiredNanos(nanos);
          y.recordConnectionAcquiredNanos(nanos);
        }

        @Override
        public void recordConnectionUsageMillis(long millis) {
          x.recordConnectionUsageMillis(millis);
          y.recordConnectionUsageMillis(millis);
        }

        @Override
        public void recordConnectionTimeout() {
          x.recordConnectionTimeout();
          y.recordConnectionTimeout();
        }

        @Override
        public void close() {
          try {
            x.close();
          } finally {
            y.close();
          }
        }
      };
    };
  }
}
