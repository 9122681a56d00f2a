package io.pyairtable.metrics.http.chain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How {@link AccessLogWriter} renders a line: {@link #JSON}, one object per line with the same
 * fields as the SLF4J route's key-value pairs plus a UTC timestamp, or {@link #TEXT}, the SLF4J
 * route's message after the timestamp. Durations are milliseconds with three decimals
 * (microsecond resolution); a missing correlation id or client is JSON {@code null} (text
 * {@code null}). Control characters in a value are escaped ({@code \u000a}), so one request is
 * always one line; in JSON, quotes and backslashes too.
 *
 * <pre>{@code
 * // JSON:
 * {"timestamp":"2026-11-26T15:33:27.123Z","method":"GET","route":"/items/{id}","status":200,"duration_ms":0.412,
 *  "request_bytes":0,"response_bytes":17,"correlation_id":"7f0c...","client":"127.0.0.1"}   (one line)
 * // TEXT:
 * 2026-11-26T15:33:27.123Z GET /items/{id} 200 0.412 ms in=0 B out=17 B correlation_id=7f0c... client=127.0.0.1
 * }</pre>
 */
public enum AccessLogFormat {
  /** One JSON object per line. */
  JSON,
  /** The SLF4J route's message, after an ISO-8601 UTC timestamp. */
  TEXT;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Appends one line (with its {@code \n}) for {@code e} to {@code sb}. */
  void append(StringBuilder sb, Timestamps clock, AccessLogEntry e) {
    if (this == JSON) {
      sb.append("{\"timestamp\":\"");
      clock.append(sb, e.epochMillis);
      sb.append("\",\"method\":");
      jsonString(sb, e.method);
      sb.append(",\"route\":");
      jsonString(sb, e.route);
      sb.append(",\"status\":").append(e.status).append(",\"duration_ms\":");
      millis(sb, e.durationNanos);
      sb.append(",\"request_bytes\":").append(e.requestBytes).append(",\"response_bytes\":").append(e.responseBytes)
          .append(",\"correlation_id\":");
      jsonString(sb, e.correlationId);
      sb.append(",\"client\":");
      jsonString(sb, e.client);
      sb.append("}\n");
    } else {
      clock.append(sb, e.epochMillis);
      sb.append(' ');
      text(sb, e.method);
      sb.append(' ');
      text(sb, e.route);
      sb.append(' ').append(e.status).append(' ');
      millis(sb, e.durationNanos);
      sb.append(" ms in=").append(e.requestBytes).append(" B out=").append(e.responseBytes)
          .append(" B correlation_id=");
      text(sb, e.correlationId);
      sb.append(" client=");
      text(sb, e.client);
      sb.append('\n');
    }
  }

  /** Milliseconds with three decimals, rounded to the microsecond: 412_345 ns is {@code 0.412}. */
  static void millis(StringBuilder sb, long nanos) {
    long micros = (Math.max(0, nanos) + 500) / 1_000;
    long frac = micros % 1_000;
    sb.append(micros / 1_000).append('.');
    if (frac < 100) {
      sb.append(frac < 10 ? "00" : "0");
    }
    sb.append(frac);
  }

  private static void jsonString(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
        unicodeEscape(sb, c);
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static void text(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
        unicodeEscape(sb, c);
      } else {
        sb.append(c);
      }
    }
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  /**
   * ISO-8601 UTC timestamps with milliseconds, formatted once per second and completed with the
   * milliseconds (one per writer thread: not thread-safe).
   */
  static final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.")
        .withZone(ZoneOffset.UTC);
    private long second = Long.MIN_VALUE;
    private String prefix;

    void append(StringBuilder sb, long epochMillis) {
      long s = Math.floorDiv(epochMillis, 1000);
      if (s != second) {
        prefix = SECONDS.format(Instant.ofEpochSecond(s));
        second = s;
      }
      int ms = (int) Math.floorMod(epochMillis, 1000);
      sb.append(prefix).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
          .append((char) ('0' + ms % 10)).append('Z');
    }
  }
}
