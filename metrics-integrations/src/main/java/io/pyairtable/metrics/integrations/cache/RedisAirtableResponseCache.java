package io.pyairtable.metrics.integrations.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.redis.RedisAvailability;
import io.pyairtable.metrics.integrations.redis.RedisEndpoint;
import io.pyairtable.metrics.integrations.redis.RedisProbe;
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
 * {@code SET key body PX ttl} (300 s by default), {@code GET}, and {@code SCAN}+{@code DEL} to
 * invalidate a table. Keys are {@code <prefix>{<baseId>:<tableName>}:<sha256(requestKey)>}: the
 * hash tag puts all of one table's responses on one Redis Cluster slot. On a cluster
 * ({@link RedisEndpoint#of(io.lettuce.core.cluster.RedisClusterClient)}), invalidation scans
 * every master (Lettuce's cluster-wide {@code SCAN}) so no master keeps a stale copy.
 *
 * <p><b>Redis down.</b> In front of Redis sits an in-process near cache (Caffeine, same time to
 * live, {@value #DEFAULT_NEAR_ENTRIES} entries by default) holding what this instance put or read.
 * While Redis is up, Redis decides (a Redis miss also drops the near entry, so another instance's
 * invalidation is seen); while it is down, reads are answered from the near cache without touching
 * Redis: the cache follows a {@link RedisAvailability} (shared with the rate limiter when given),
 * so after the first failed command no request waits on Redis until a probe answers again. A
 * lookup that finds nothing while Redis is down is {@code result="error"}; a put is kept in the
 * near cache and counted {@code result="error"}. Expiry inside Redis is not observed, so there
 * are no {@code evict} operations here.
 *
 * <pre>{@code
 * RedisClient redis = RedisProbe.failFast(RedisClient.create(LettuceMetrics.clientResources(metrics), url), Duration.ofSeconds(1));
 * RedisAvailability availability = RedisProbe.availability(redis, Duration.ofMillis(250));
 * try (RedisAirtableResponseCache cache = new RedisAirtableResponseCache(redis, metrics, Duration.ofSeconds(300),
 *     RedisAirtableResponseCache.DEFAULT_PREFIX, Duration.ofMillis(250), availability)) {
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
  /** Default number of responses the in-process near cache keeps. */
  public static final long DEFAULT_NEAR_ENTRIES = 10_000;

  private record Key(String baseId, String tableName, String requestKey) {}

  private final CacheOperations operations;
  private final RedisEndpoint endpoint;
  private final Duration timeout;
  private final Duration ttl;
  private final String prefix;
  private final RedisAvailability availability;
  private final boolean ownsAvailability;
  private final Cache<Key, String> near;
  private volatile StatefulConnection<String, String> connection;
  private volatile boolean closed;

  /** A cache with the defaults (TTL 300 s), on its own connection of {@code client}. */
  public RedisAirtableResponseCache(RedisClient client, MetricsCollector collector) {
    this(client, collector, DEFAULT_TTL, DEFAULT_PREFIX, DEFAULT_TIMEOUT);
  }

  /** A cache with its own {@link RedisAvailability} (a PING probe on {@code client}). */
  public RedisAirtableResponseCache(RedisClient client, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout) {
    this(client, collector, ttl, prefix, timeout, RedisProbe.availability(client, timeout), true,
        DEFAULT_NEAR_ENTRIES);
  }

  /** A cache that follows {@code shared} (not closed by {@link #close()}). */
  public RedisAirtableResponseCache(RedisClient client, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout, RedisAvailability shared) {
    this(RedisEndpoint.of(client), collector, ttl, prefix, timeout, shared);
  }

  /** A cache on one Redis or a cluster that follows {@code shared} (not closed by {@link #close()}). */
  public RedisAirtableResponseCache(RedisEndpoint endpoint, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout, RedisAvailability shared) {
    this(endpoint, collector, ttl, prefix, timeout, shared, false, DEFAULT_NEAR_ENTRIES);
  }

  private RedisAirtableResponseCache(RedisClient client, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout, RedisAvailability availability, boolean ownsAvailability, long nearEntries) {
    this(RedisEndpoint.of(client), collector, ttl, prefix, timeout, availability, ownsAvailability, nearEntries);
  }

  private RedisAirtableResponseCache(RedisEndpoint endpoint, MetricsCollector collector, Duration ttl, String prefix,
      Duration timeout, RedisAvailability availability, boolean ownsAvailability, long nearEntries) {
    this.operations = new CacheOperations(Objects.requireNonNull(collector, "collector"));
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.availability = Objects.requireNonNull(availability, "availability");
    this.ownsAvailability = ownsAvailability;
    this.near = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(nearEntries).build();
    if (availability.isUp()) {
      try {
        commands();
      } catch (RuntimeException e) {
        availability.markDown(e);
      }
    }
  }

  @Override
  public Optional<String> get(String baseId, String tableName, String requestKey) {
    Key k = new Key(baseId, tableName, requestKey);
    if (availability.useRedis()) {
      try {
        String body = commands().get(key(k));
        if (body == null) {
          near.invalidate(k);
        } else {
          near.asMap().putIfAbsent(k, body);
        }
        operations.record("get", baseId, tableName, body == null ? "miss" : "hit");
        return Optional.ofNullable(body);
      } catch (RuntimeException e) {
        down("get", e);
      }
    }
    String body = near.getIfPresent(k);
    operations.record("get", baseId, tableName, body == null ? "error" : "hit");
    return Optional.ofNullable(body);
  }

  @Override
  public void put(String baseId, String tableName, String requestKey, String responseBody) {
    Key k = new Key(baseId, tableName, requestKey);
    near.put(k, responseBody);
    if (availability.useRedis()) {
      try {
        commands().set(key(k), responseBody, SetArgs.Builder.px(ttl.toMillis()));
        operations.record("put", baseId, tableName, "success");
        return;
      } catch (RuntimeException e) {
        down("put", e);
      }
    }
    operations.record("put", baseId, tableName, "error");
  }

  @Override
  public void invalidate(String baseId, String tableName) {
    near.asMap().keySet().removeIf(k -> k.baseId().equals(baseId) && k.tableName().equals(tableName));
    if (availability.useRedis()) {
      try {
        RedisClusterCommands<String, String> redis = commands();
        ScanArgs match = ScanArgs.Builder.matches(escape(tablePrefix(baseId, tableName)) + "*").limit(500);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
          KeyScanCursor<String> page = redis.scan(cursor, match);
          if (!page.getKeys().isEmpty()) {
            redis.del(page.getKeys().toArray(String[]::new));
          }
          cursor = page;
        } while (!cursor.isFinished());
        operations.record("invalidate", baseId, tableName, "success");
        return;
      } catch (RuntimeException e) {
        down("invalidate", e);
      }
    }
    operations.record("invalidate", baseId, tableName, "error");
  }

  /** Responses held in the in-process near cache right now (approximate). */
  public long nearSize() {
    return near.estimatedSize();
  }

  /** Closes the cache's connection (not the client, nor a shared availability). */
  @Override
  public void close() {
    closed = true;
    StatefulConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
    if (ownsAvailability) {
      availability.close();
    }
  }

  private void down(String operation, RuntimeException e) {
    LOG.debug("response cache {} failed: {}", operation, e.getClass().getSimpleName());
    availability.markDown(e);
  }

  private RedisClusterCommands<String, String> commands() {
    StatefulConnection<String, String> c = connection;
    if (c == null) {
      c = connect();
    }
    return RedisEndpoint.sync(c);
  }

  private synchronized StatefulConnection<String, String> connect() {
    if (closed) {
      throw new IllegalStateException("response cache closed");
    }
    if (connection == null) {
      StatefulConnection<String, String> c = endpoint.connect(StringCodec.UTF8);
      c.setTimeout(timeout);
      connection = c;
    }
    return connection;
  }

  private String key(Key k) {
    return tablePrefix(k.baseId(), k.tableName()) + sha256(k.requestKey());
  }

  /** {@code <prefix>{<baseId>:<tableName>}:}: the hash tag keeps one table's keys on one cluster slot. */
  private String tablePrefix(String baseId, String tableName) {
    return prefix + "{" + baseId + ":" + tableName + "}:";
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
