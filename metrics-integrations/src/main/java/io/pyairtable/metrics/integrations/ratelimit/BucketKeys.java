package io.pyairtable.metrics.integrations.ratelimit;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/**
 * The limiter's bucket keys: {@code <prefix>{appXXX}:base} for a base, and
 * {@code <prefix>{<digest>}:token} for an access token, where the digest is the first 16 hex
 * characters of the token's SHA-256, so that even a caller who passes the secret token itself never
 * writes it into Redis. It remembers the keys of the last tokens it saw, so that a limiter does not
 * hash the same token on every decision.
 *
 * <p>The memory is a small direct-mapped table ({@value #SLOTS} slots, so bounded whatever the
 * callers pass) keyed by the token's <em>identity</em>: a slot holds only a weak reference to the
 * caller's own {@code String} (no copy, and it does not keep the token alive) and the derived key,
 * which holds only the digest. A token passed again as the same {@code String} instance (the
 * configured token, a token held by a client object) is hashed once; an equal token in another
 * instance (read afresh from a header) is hashed again and gives the same key.
 *
 * <pre>{@code
 * BucketKeys keys = new BucketKeys("pyairtable:ratelimit:");
 * String base = keys.base("appXXXXXXXXXXXXXX");   // pyairtable:ratelimit:{appXXXXXXXXXXXXXX}:base
 * String token = keys.token(configuredToken);     // pyairtable:ratelimit:{<16 hex>}:token, hashed once
 * String part = BucketKeys.digest("patXXXXXXXXXXXXXX.yyyy");   // the uncached digest
 * }</pre>
 */
final class BucketKeys {

  /** Slots of the table: a power of two. */
  static final int SLOTS = 64;

  private static final MessageDigest PROTOTYPE = sha256();

  /** Written racily: a reader sees null, an older slot or a complete new one (final fields). */
  private final Slot[] slots = new Slot[SLOTS];
  private final LongAdder digests = new LongAdder();
  private final String prefix;

  BucketKeys(String prefix) {
    this.prefix = prefix;
  }

  /** The key of {@code baseId}'s bucket. */
  String base(String baseId) {
    return prefix + "{" + baseId + "}:base";
  }

  /** The key of {@code tokenId}'s bucket, from the table when this very instance was seen last in its slot. */
  String token(String tokenId) {
    int index = System.identityHashCode(tokenId) & (SLOTS - 1);
    Slot slot = slots[index];
    if (slot != null && slot.token.get() == tokenId) {
      return slot.key;
    }
    String key = prefix + "{" + digest(tokenId) + "}:token";
    digests.increment();
    slots[index] = new Slot(new WeakReference<>(tokenId), key);
    return key;
  }

  /** How many digests {@link #token} computed (misses of the table). */
  long digestsComputed() {
    return digests.sum();
  }

  /** Keys in the table right now (at most {@value #SLOTS}). */
  int cachedKeys() {
    int n = 0;
    for (Slot slot : slots) {
      if (slot != null) {
        n++;
      }
    }
    return n;
  }

  static String digest(String tokenId) {
    byte[] hash = newDigest().digest(tokenId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, 8);
  }

  /** A fresh SHA-256 (a clone of a prototype: no provider look-up per digest). */
  private static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private record Slot(WeakReference<String> token, String key) {}
}
