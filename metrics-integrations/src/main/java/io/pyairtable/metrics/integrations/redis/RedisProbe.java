package io.pyairtable.metrics.integrations.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lettuce settings and a probe for failing fast while Redis is down: {@link #failFast} makes a
 * client reject commands at once while its connection is down (Lettuce's
 * {@code DisconnectedBehavior.REJECT_COMMANDS}, instead of queueing them until their timeout) and
 * bounds the connect time; {@link #availability} is a {@link RedisAvailability} that probes with
 * {@code PING} on a connection of its own.
 *
 * <pre>{@code
 * RedisClient client = RedisProbe.failFast(RedisClient.create(resources, url), Duration.ofSeconds(1));
 * RedisAvailability redis = RedisProbe.availability(client, Duration.ofMillis(250));
 * AirtableRateLimiter limiter = new AirtableRateLimiter(client, metrics, config, redis);
 * RedisAirtableResponseCache cache = new RedisAirtableResponseCache(client, metrics, ttl, prefix, timeout, redis);
 * }</pre>
 */
public final class RedisProbe {

  private RedisProbe() {}

  /** Sets {@code client}'s options: reject commands while disconnected, connect within {@code connectTimeout}. */
  public static RedisClient failFast(RedisClient client, Duration connectTimeout) {
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .build());
    return client;
  }

  /**
   * An availability that probes {@code client} with {@code PING} (answered within {@code timeout})
   * on its own connection, opened lazily; up at once when Redis answers now.
   */
  public static RedisAvailability availability(RedisClient client, Duration timeout) {
    return availability(RedisEndpoint.of(client), timeout);
  }

  /**
   * An availability that probes {@code endpoint} with {@code PING} on its own connection (for a
   * cluster, Lettuce sends it on the cluster connection's default node).
   */
  public static RedisAvailability availability(RedisEndpoint endpoint, Duration timeout) {
    Probe probe = new Probe(endpoint, timeout);
    boolean up;
    try {
      probe.get().toCompletableFuture().get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
      up = true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      up = false;
    }
    return new RedisAvailability(probe, RedisAvailability.DEFAULT_INITIAL_BACKOFF,
        RedisAvailability.DEFAULT_MAX_BACKOFF, up, probe::close);
  }

  private static final class Probe implements Supplier<CompletionStage<?>> {
    private final RedisEndpoint endpoint;
    private final Duration timeout;
    private volatile StatefulConnection<String, String> connection;
    private volatile boolean closed;

    Probe(RedisEndpoint endpoint, Duration timeout) {
      this.endpoint = endpoint;
      this.timeout = timeout;
    }

    @Override
    public CompletionStage<?> get() {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      StatefulConnection<String, String> c = connection;
      CompletableFuture<StatefulConnection<String, String>> connected = c != null
          ? CompletableFuture.completedFuture(c)
          : CompletableFuture.supplyAsync(() -> keep(endpoint.connect(StringCodec.UTF8)));
      return connected.thenCompose(conn -> RedisEndpoint.async(conn).ping().toCompletableFuture())
          .orTimeout(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
    }

    private synchronized StatefulConnection<String, String> keep(StatefulConnection<String, String> c) {
      if (closed || connection != null) {
        c.closeAsync();
        if (closed) {
          throw new IllegalStateException("closed");
        }
        return connection;
      }
      connection = c;
      return c;
    }

    /**
     * Closes the probe's connection before returning: closed asynchronously, it was still open to
     * the client's own shutdown right after, which then closed it a second time.
     */
    synchronized void close() {
      closed = true;
      if (connection != null) {
        connection.close();
      }
    }
  }
}
