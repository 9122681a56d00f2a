package io.pyairtable.metrics.integrations.testing;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisServer} shared by the tests of a class: started before the first test, killed
 * after the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SharedRedis redis = new SharedRedis();
 *
 * @Test
 * void counts() {
 *   RedisClient client = RedisClient.create(redis.uri());
 * }
 * }</pre>
 */
public final class SharedRedis implements BeforeAllCallback, AfterAllCallback {

  private RedisServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = RedisServer.startNew();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** The running server's URI ({@code redis://127.0.0.1:port}). */
  public String uri() {
    return server.uri();
  }
}
