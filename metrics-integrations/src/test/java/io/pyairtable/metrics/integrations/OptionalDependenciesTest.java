package io.pyairtable.metrics.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The optional libraries are really optional: each integration loads without the others. */
class OptionalDependenciesTest {

  @Test
  void circuitBreakerAndQueryTimerWorkWithoutLettuceBucket4jHikariOrCaffeine() throws Exception {
    try (URLClassLoader loader = classPathWithout("lettuce", "bucket4j", "hikaricp", "caffeine", "netty", "reactor")) {
      Class<?> metrics = Class.forName("io.pyairtable.metrics.Metrics", true, loader);
      Object collector = metrics.getMethod("initialize", String.class, String.class).invoke(null, "svc", "1");
      Class<?> collectorType = Class.forName("io.pyairtable.metrics.MetricsCollector", false, loader);

      Class<?> breakers = Class.forName(
          "io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics", true, loader);
      Object breaker = breakers.getMethod("metricsEnabledCircuitBreaker", String.class, collectorType)
          .invoke(null, "isolated", collector);
      assertThat(breaker.getClass().getName()).startsWith("io.github.resilience4j");

      Class<?> timer = Class.forName("io.pyairtable.metrics.integrations.jdbc.QueryTimer", true, loader);
      assertThat(timer.getConstructor(collectorType).newInstance(collector)).isNotNull();
      Class<?> ratio = Class.forName("io.pyairtable.metrics.integrations.cache.CacheHitRatio", true, loader);
      assertThat(ratio.getMethod("of", collectorType).invoke(null, collector)).isNotNull();

      // The loader really lacks them: the Lettuce integration cannot be linked there.
      assertThatThrownBy(() -> Class.forName("io.pyairtable.metrics.integrations.redis.LettuceCommandMetrics", true,
          loader)).isInstanceOf(NoClassDefFoundError.class);
    }
  }

  @Test
  void caffeineIntegrationWorksWithoutLettuce() throws Exception {
    try (URLClassLoader loader = classPathWithout("lettuce", "bucket4j", "hikaricp", "netty", "reactor")) {
      Class<?> collectorType = Class.forName("io.pyairtable.metrics.MetricsCollector", false, loader);
      Object collector = Class.forName("io.pyairtable.metrics.Metrics", true, loader)
          .getMethod("initialize", String.class, String.class).invoke(null, "svc", "1");
      Class<?> cache = Class.forName("io.pyairtable.metrics.integrations.cache.CaffeineAirtableResponseCache", true,
          loader);
      assertThat(cache.getConstructor(collectorType).newInstance(collector)).isNotNull();
    }
  }

  private static URLClassLoader classPathWithout(String... fragments) throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String lower = entry.toLowerCase(Locale.ROOT);
      boolean excluded = false;
      for (String f : fragments) {
        excluded |= lower.contains(f);
      }
      if (!excluded) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }
}
