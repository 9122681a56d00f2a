package io.pyairtable.metrics.integrations.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns an access-token identifier into the part of a Redis key, so that even a caller who passes
 * the secret token itself never writes it into Redis.
 *
 * <pre>{@code
 * String part = TokenKeys.digest("patXXXXXXXXXXXXXX.yyyy");   // 16 hex characters
 * }</pre>
 */
final class TokenKeys {

  private TokenKeys() {}

  static String digest(String tokenId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(tokenId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
