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

  /** Appends one line (with its {@code \n}) for {@code e} to {@code out}, as UTF-8. */
  void append(Utf8Line out, Timestamps clock, AccessLogEntry e) {
    if (this == JSON) {
      out.ascii("{\"timestamp\":\"");
      clock.append(out, e.epochMillis);
      out.ascii("\",\"method\":").text(e.method, true).ascii(",\"route\":").text(e.route, true)
          .ascii(",\"status\":").number(e.status).ascii(",\"duration_ms\":");
      millis(out, e.durationNanos);
      out.ascii(",\"request_bytes\":").number(e.requestBytes).ascii(",\"response_bytes\":").number(e.responseBytes)
          .ascii(",\"correlation_id\":").text(e.correlationId, true).ascii(",\"client\":").text(e.client, true)
          .ascii("}\n");
    } else {
      clock.append(out, e.epochMillis);
      out.ascii(' ').text(e.method, false).ascii(' ').text(e.route, false).ascii(' ').number(e.status).ascii(' ');
      millis(out, e.durationNanos);
      out.ascii(" ms in=").number(e.requestBytes).ascii(" B out=").number(e.responseBytes)
          .ascii(" B correlation_id=").text(e.correlationId, false).ascii(" client=").text(e.client, false)
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
    private String prefix;

    void append(Utf8Line out, long epochMillis) {
      long s = Math.floorDiv(epochMillis, 1000);
      if (s != second) {
        prefix = SECONDS.format(Instant.ofEpochSecond(s));
        second = s;
      }
      int ms = (int) Math.floorMod(epochMillis, 1000);
      out.ascii(prefix).ascii((char) ('0' + ms / 100)).ascii((char) ('0' + ms / 10 % 10))
          .ascii((char) ('0' + ms % 10)).ascii('Z');
    }
  }
}
