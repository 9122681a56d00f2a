package io.pyairtable.metrics.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.DemoOptions;
import io.pyairtable.metrics.examples.demo.RunningDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Issue 9: the demo's console and logs never show the Redis password or an operator's API key;
 * the Redis line shows the URL with the password masked, the key line its first four characters.
 */
class DemoConsoleSecretsTest {

  private static final String PASSWORD = "redis-pass-4417";
  private static final String KEY = "operator-own-key-9921";

  @Test
  @Timeout(120)
  void theConsoleAndTheLogsShowTheRedisUrlAndTheApiKeyMasked() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (KillableRedis redis = KillableRedis.start(PASSWORD)) {
      DemoOptions options = DemoOptions.builder().basePort(0).traffic(false).redisUrl(redis.url())
          .environment(Map.of("API_GATEWAY_KEYS", KEY)).out(new PrintStream(printed, true, StandardCharsets.UTF_8))
          .build();
      try (RunningDemo demo = Demo.start(options)) {
        assertThat(demo.redisUrl()).hasValue(redis.url());
      }
      String console = printed.toString(StandardCharsets.UTF_8);
      assertThat(console).contains("redis://:***@127.0.0.1:" + redis.port()).contains("oper***")
          .doesNotContain(PASSWORD).doesNotContain(KEY);
      assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains(PASSWORD)
          || e.getFormattedMessage().contains(KEY));
    } finally {
      root.detachAppender(logged);
    }
  }
}
