package io.pyairtable.metrics.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Stopping the Airtable gateway releases each of its Redis connections once: Lettuce, which warns
 * when a connection it closes is closed already, has nothing to say.
 */
class RedisReleaseTest {

  @Test
  @Timeout(60)
  void stoppingTheAirtableGatewayClosesEachRedisConnectionOnce() throws Exception {
    Logger lettuce = (Logger) LoggerFactory.getLogger("io.lettuce.core");
    Level level = lettuce.getLevel();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    lettuce.setLevel(Level.WARN);
    lettuce.addAppender(logged);
    try (AirtableEmulator airtable = AirtableEmulator.builder().build().start();
        KillableRedis redis = KillableRedis.start()) {
      for (int i = 0; i < 3; i++) {
        AirtableGatewayService gateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
            .upstream(URI.create(airtable.baseUrl()), airtable.apiKey()).redisUrl(redis.url()).build(),
            Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME).jvmMetrics(false)
                .initialize());
        gateway.close();
      }
    } finally {
      lettuce.detachAppender(logged);
      lettuce.setLevel(level);
    }
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }
}
