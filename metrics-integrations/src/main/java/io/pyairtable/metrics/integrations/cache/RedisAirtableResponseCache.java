package io.pyairtable.metrics.integrations.cache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.pyairtable.metrics.MetricsCollector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis-backed {@link AirtableResponseCache} on Lettuce, shared by every gateway instance:
 * {@code SET key body EX ttl} (300 s by default), {@code GET}, and {@code SCAN}+{@code DEL} to
 * invalidate a table. Keys are {@code <prefix><baseId>:<tableName>:<sha256(requestKey)>}. While
 * Redis is unreachable (or slower than the timeout) a lookup is a miss with {@code result="error"}
 * and a put is dropped with {@code result="error"}; the caller's request goes on. Expiry inside
 * Redis is not observed, so there are no {@code evict} operations here.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.create(LettuceMetrics.clientResources(metrics), "redis://localhost:6379");
 * try (RedisAirtableResponseCache cache = new RedisAirtableResponseCache(redis, metrics)) {
 *   String body = cache.getOrLoad(baseId, "Users", query, () -> airtable.list(baseId, "Users", query));
 * }
 * }</pre>
 */
public final class RedisAirtableResponseCache implements AirtableResponseCache, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisAirtableResponseCache.class);

  /** Default time to live of a cached response. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
  /** Default prefix of the cache's keys. */
  public static final String DEFAULT_PREFIX = "pyairtable:cache:";
  /** Default time one cache command may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

  private final CacheOperations operations;
  private final StatefulRedisConnection<String, String> connection;
  private final Duration ttl;
  private final String prefix;

  /** A cache with the defaults (TTL 300 s), on its own connection of {@code client}. */
  public RedisAirtableResponseCache(RedisClient client, MetricsCollector collector) {
    this(client, collector, DEFAULT_TTL, DEFAULT_PREFIX, DEFAULT_TIMEOUT);
  }

  public RedisAirtableResponseCache(RedisClient client, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout) {
    this.operations = new CacheOperations(Objects.requireNonNull(collector, "collector"));
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.connection = client.connect();
    this.connection.setTimeout(timeout);
  }

  @Override
  public Optional<String> get(String baseId, String tableName, String requestKey) {
    try {
      String body = commands().get(key(baseId, tableName, requestKey));
      operations.record("get", baseId, tableName, body == null ? "miss" : "hit");
      return Optional.ofNullable(body);
    } catch (RuntimeException e) {
      LOG.debug("response cache get failed: {}", e.toString());
      operations.record("get", baseId, tableName, "error");
      return Optional.empty();
    }
  }

  @Override
  public void put(String baseId, String tableName, String requestKey, String responseBody) {
    try {
      commands().set(key(baseId, tableName, requestKey), responseBody, SetArgs.Builder.px(ttl.toMillis()));
      operations.record("put", baseId, tableName, "success");
    } catch (RuntimeException e) {
      LOG.debug("response cache put failed: {}", e.toString());
      operations.record("put", baseId, tableName, "error");
    }
  }

  @Override
  public void invalidate(String baseId, String tableName) {
    try {
      RedisCommands<String, String> redis = commands();
      ScanArgs match = ScanArgs.Builder.matches(escape(prefix + baseId + ":" + tableName + ":") + "*").limit(500);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, match);
        if (!page.getKeys().isEmpty()) {
          redis.del(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
      operations.record("invalidate", baseId, tableName, "success");
    } catch (RuntimeException e) {
      LOG.debug("response cache invalidate failed: {}", e.toString());
      operations.record("invalidate", baseId, tableName, "error");
    }
  }

  /** Closes the cache's connection (not the client). */
  @Override
  public void close() {
    connection.close();
  }

  private RedisCommands<String, String> commands() {
    return connection.sync();
  }

  private String key(String baseId, String tableName, String requestKey) {
    return prefix + baseId + ":" + tableName + ":" + sha256(requestKey);
  }

  private static String escape(String glob) {
    return glob.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private static String sha256(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
