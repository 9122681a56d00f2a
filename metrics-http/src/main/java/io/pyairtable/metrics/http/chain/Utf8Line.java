package io.pyairtable.metrics.http.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer the access-log writer formats lines straight into as UTF-8: ASCII is one
 * store per character, numbers are written digit by digit, nothing is allocated per line (no
 * {@code StringBuilder}, no encoder pass). One per writer thread: not thread-safe.
 *
 * <pre>{@code
 * Utf8Line out = new Utf8Line(4096);
 * out.ascii("status=").number(200).text("/é", false).newline();
 * channel.write(ByteBuffer.wrap(out.bytes(), 0, out.length()));
 * }</pre>
 */
final class Utf8Line {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private byte[] buf;
  private int len;

  Utf8Line(int capacity) {
    this.buf = new byte[capacity];
  }

  byte[] bytes() {
    return buf;
  }

  int length() {
    return len;
  }

  void clear() {
    len = 0;
  }

  /** Keeps the first {@code length} bytes. */
  void truncate(int length) {
    len = length;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  /** Appends {@code other}'s bytes. */
  Utf8Line append(Utf8Line other) {
    ensure(other.len);
    System.arraycopy(other.buf, 0, buf, len, other.len);
    len += other.len;
    return this;
  }

  /** {@code ascii}'s bytes, for {@link #ascii(byte[])}. */
  static byte[] bytesOf(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends bytes known to be ASCII without escaping (the format's own punctuation and keys, encoded once). */
  Utf8Line ascii(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, buf, len, ascii.length);
    len += ascii.length;
    return this;
  }

  /** Appends a string known to be ASCII without escaping (the format's own punctuation). */
  Utf8Line ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  Utf8Line ascii(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  Utf8Line number(long v) {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      return ascii("-9223372036854775808");
    }
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int start = len;
    do {
      buf[len++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = start, j = len - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  /**
   * Appends {@code s} as UTF-8, {@code null} as {@code null}; control characters (and U+2028/2029)
   * as {@code \\uXXXX}; with {@code json}, quoted, with quotes and backslashes escaped. An unpaired
   * surrogate becomes {@code ?}.
   */
  Utf8Line text(String s, boolean json) {
    if (s == null) {
      ensure(4);
      System.arraycopy(NULL, 0, buf, len, 4);
      len += 4;
      return this;
    }
    int n = s.length();
    ensure(n * 3 + 2);
    if (json) {
      buf[len++] = '"';
    }
    int i = 0;
    byte[] b = buf;
    int l = len;
    for (; i < n; i++) { // the common case: printable ASCII with nothing to escape, one store a char
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        break;
      }
      b[l++] = (byte) c;
    }
    len = l;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c == 0x7f && !json) {
          unicodeEscape(c, (n - i) * 3 + 1);
        } else if (json && (c == '"' || c == '\\')) {
          ensure(2 + (n - i) * 3);
          buf[len++] = '\\';
          buf[len++] = (byte) c;
        } else {
          buf[len++] = (byte) c;
        }
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xc0 | c >> 6);
        buf[len++] = (byte) (0x80 | c & 0x3f);
      } else if (c == 0x2028 || c == 0x2029) {
        unicodeEscape(c, (n - i) * 3 + 1);
      } else if (Character.isSurrogate(c)) {
        int cp = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))
            ? Character.toCodePoint(c, s.charAt(++i)) : -1;
        if (cp < 0) {
          buf[len++] = '?';
        } else {
          buf[len++] = (byte) (0xf0 | cp >> 18);
          buf[len++] = (byte) (0x80 | cp >> 12 & 0x3f);
          buf[len++] = (byte) (0x80 | cp >> 6 & 0x3f);
          buf[len++] = (byte) (0x80 | cp & 0x3f);
        }
      } else {
        buf[len++] = (byte) (0xe0 | c >> 12);
        buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
        buf[len++] = (byte) (0x80 | c & 0x3f);
      }
    }
    if (json) {
      ensure(1);
      buf[len++] = '"';
    }
    return this;
  }

  /** Writes {@code \\uXXXX}, keeping room for {@code reserve} more bytes. */
  private void unicodeEscape(char c, int reserve) {
    ensure(6 + reserve);
    buf[len++] = '\\';
    buf[len++] = 'u';
    buf[len++] = HEX[(c >> 12) & 0xf];
    buf[len++] = HEX[(c >> 8) & 0xf];
    buf[len++] = HEX[(c >> 4) & 0xf];
    buf[len++] = HEX[c & 0xf];
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
