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

  // the format's own punctuation and keys, encoded once: copied into a line, not written char by char
  private static final byte[] JSON_TIMESTAMP = Utf8Line.bytesOf("{\"timestamp\":\"");
  private static final byte[] JSON_METHOD = Utf8Line.bytesOf("\",\"method\":");
  private static final byte[] JSON_ROUTE = Utf8Line.bytesOf(",\"route\":");
  private static final byte[] JSON_STATUS = Utf8Line.bytesOf(",\"status\":");
  private static final byte[] JSON_DURATION = Utf8Line.bytesOf(",\"duration_ms\":");
  private static final byte[] JSON_REQUEST_BYTES = Utf8Line.bytesOf(",\"request_bytes\":");
  private static final byte[] JSON_RESPONSE_BYTES = Utf8Line.bytesOf(",\"response_bytes\":");
  private static final byte[] JSON_CORRELATION_ID = Utf8Line.bytesOf(",\"correlation_id\":");
  private static final byte[] JSON_CLIENT = Utf8Line.bytesOf(",\"client\":");
  private static final byte[] JSON_END = Utf8Line.bytesOf("}\n");
  private static final byte[] TEXT_MS_IN = Utf8Line.bytesOf(" ms in=");
  private static final byte[] TEXT_OUT = Utf8Line.bytesOf(" B out=");
  private static final byte[] TEXT_CORRELATION_ID = Utf8Line.bytesOf(" B correlation_id=");
  private static final byte[] TEXT_CLIENT = Utf8Line.bytesOf(" client=");

  /** Appends one line (with its {@code \n}) for {@code e} to {@code out}, as UTF-8. */
  void append(Utf8Line out, Timestamps clock, AccessLogEntry e) {
    if (this == JSON) {
      out.ascii(JSON_TIMESTAMP);
      clock.append(out, e.epochMillis);
      out.ascii(JSON_METHOD).text(e.method, true).ascii(JSON_ROUTE).text(e.route, true)
          .ascii(JSON_STATUS).number(e.status).ascii(JSON_DURATION);
      millis(out, e.durationNanos);
      out.ascii(JSON_REQUEST_BYTES).number(e.requestBytes).ascii(JSON_RESPONSE_BYTES).number(e.responseBytes)
          .ascii(JSON_CORRELATION_ID).text(e.correlationId, true).ascii(JSON_CLIENT).text(e.client, true)
          .ascii(JSON_END);
    } else {
      clock.append(out, e.epochMillis);
      out.ascii(' ').text(e.method, false).ascii(' ').text(e.route, false).ascii(' ').number(e.status).ascii(' ');
      millis(out, e.durationNanos);
      out.ascii(TEXT_MS_IN).number(e.requestBytes).ascii(TEXT_OUT).number(e.responseBytes)
          .ascii(TEXT_CORRELATION_ID).text(e.correlationId, false).ascii(TEXT_CLIENT).text(e.client, false)
          .ascii('\n');
    }
  }

  /** Milliseconds with three decimals, rounded to the microsecond: 412_345 ns is {@code 0.412}. */
  static void millis(Utf8Line out, long nanos) {
    long micros = (Math.max(0, nanos) + 500) / 1_000;
    long frac = micros % 1_000;
    out.number(micros / 1_000).ascii('.');
    if (frac < 100) {
      out.ascii(frac < 10 ? "00" : "0");
    }
    out.number(frac);
  }

  /**
   * ISO-8601 UTC timestamps with milliseconds, formatted once per second and completed with the
   * milliseconds (one per writer thread: not thread-safe).
   */
  static final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.")
        .withZone(ZoneOffset.UTC);
    private long second = Long.MIN_VALUE;
    private byte[] prefix;

    void append(Utf8Line out, long epochMillis) {
      long s = Math.floorDiv(epochMillis, 1000);
      if (s != second) {
        prefix = Utf8Line.bytesOf(SECONDS.format(Instant.ofEpochSecond(s)));
        second = s;
      }
      int ms = (int) Math.floorMod(epochMillis, 1000);
      out.ascii(prefix).ascii((char) ('0' + ms / 100)).ascii((char) ('0' + ms / 10 % 10))
          .ascii((char) ('0' + ms % 10)).ascii('Z');
    }
  }
}
