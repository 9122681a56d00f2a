package io.pyairtable.metrics.examples.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pyairtable.metrics.integrations.circuitbreaker.CircuitBreakerMetrics;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small PyAirtable service on Spring Boot 4 with the metrics starter: a user/workspace API whose
 * users live in an H2 database (HikariCP), whose workspace syncs go through a Resilience4j breaker
 * and whose user lookups are cached in Caffeine. Everything is scraped from {@code /actuator/prometheus}.
 *
 * <pre>{@code
 * mvn -pl metrics-examples-spring -am package -DskipTests
 * java -jar metrics-examples-spring/target/pyairtable-metrics-examples-spring-*.jar   # port 8080
 * curl localhost:8080/users/1 && curl localhost:8080/actuator/prometheus
 * }</pre>
 */
@SpringBootApplication
public class WorkspaceApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkspaceApiApplication.class, args);
  }

  /** Resilience4j publishes no Boot 4 starter: the application defines its registry, the starter binds it. */
  @Bean
  CircuitBreakerRegistry circuitBreakerRegistry() {
    return CircuitBreakerRegistry.of(CircuitBreakerMetrics.config(5, Duration.ofSeconds(30)));
  }
}
