package io.pyairtable.metrics.http.chain;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Correlation ids: an incoming value is kept only when it is 1 to {@value #MAX_LENGTH} chars of
 * {@code [A-Za-z0-9._-]} (so it is safe in a header, a log line and an exemplar); anything else,
 * CR/LF or a 10 KB header included, is replaced by a random UUID.
 *
 * <pre>{@code
 * CorrelationIds.accept("abc-123");        // "abc-123"
 * CorrelationIds.accept("a\r\nSet-Cookie"); // a fresh UUID
 * }</pre>
 */
final class CorrelationIds {

  /** The longest incoming id kept. */
  public static final int MAX_LENGTH = 128;

  private CorrelationIds() {}

  /** {@code incoming} when it is safe, otherwise a new id. */
  public static String accept(String incoming) {
    return isSafe(incoming) ? incoming : generate();
  }

  /** Whether {@code id} is 1..128 chars of {@code [A-Za-z0-9._-]}. */
  public static boolean isSafe(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A random (version 4) UUID. Correlation ids need uniqueness, not secrecy, so this draws from
   * {@link ThreadLocalRandom} instead of the contended {@code SecureRandom} of {@link UUID#randomUUID()}.
   */
  public static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
