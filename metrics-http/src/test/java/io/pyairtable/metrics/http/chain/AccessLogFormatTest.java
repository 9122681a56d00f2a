package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The file writer's lines, character for character: the fields of the SLF4J route, one line per request. */
class AccessLogFormatTest {

  private static final long AT = Instant.parse("2026-11-26T15:33:27.045Z").toEpochMilli();

  private static String line(AccessLogFormat format, AccessLogEntry e) {
    Utf8Line out = new Utf8Line(16); // grows as needed
    format.append(out, new AccessLogFormat.Timestamps(), e);
    return out.toString();
  }

  @Test
  void jsonHasTheKeyValueFieldsOfTheSlf4jRouteAndATimestamp() {
    AccessLogEntry e = new AccessLogEntry(AT, "GET", "/items/{id}", 200, 412_345, 0, 17, "req-1", "127.0.0.1");

    assertThat(line(AccessLogFormat.JSON, e)).isEqualTo("{\"timestamp\":\"2026-11-26T15:33:27.045Z\",\"method\":\"GET\","
        + "\"route\":\"/items/{id}\",\"status\":200,\"duration_ms\":0.412,\"request_bytes\":0,\"response_bytes\":17,"
        + "\"correlation_id\":\"req-1\",\"client\":\"127.0.0.1\"}\n");
  }

  @Test
  void textIsTheSlf4jRoutesMessageAfterTheTimestamp() {
    AccessLogEntry e = new AccessLogEntry(AT, "POST", "/echo", 201, 12_000_500, 5, 1234, "req-2", "::1");

    assertThat(line(AccessLogFormat.TEXT, e)).isEqualTo(
        "2026-11-26T15:33:27.045Z POST /echo 201 12.001 ms in=5 B out=1234 B correlation_id=req-2 client=::1\n");
  }

  @Test
  void missingValuesAreNullAndControlCharactersQuotesAndBackslashesAreEscapedSoARequestIsOneLine() {
    AccessLogEntry e = new AccessLogEntry(AT, "GET", "/a\"b\\c\nd\u2028", 404, 999, 0, 0, null, null);

    assertThat(line(AccessLogFormat.JSON, e)).isEqualTo("{\"timestamp\":\"2026-11-26T15:33:27.045Z\",\"method\":\"GET\","
        + "\"route\":\"/a\\\"b\\\\c\\u000ad\\u2028\",\"status\":404,\"duration_ms\":0.001,\"request_bytes\":0,"
        + "\"response_bytes\":0,\"correlation_id\":null,\"client\":null}\n");
    assertThat(line(AccessLogFormat.TEXT, e)).isEqualTo(
        "2026-11-26T15:33:27.045Z GET /a\"b\\c\\u000ad\\u2028 404 0.001 ms in=0 B out=0 B correlation_id=null client=null\n");
  }

  @Test
  void nonAsciiIsWrittenAsUtf8AndAnUnpairedSurrogateAsAQuestionMark() {
    AccessLogEntry e = new AccessLogEntry(AT, "GET", "/caf\u00e9/\u20ac/\ud83d\ude00/\ud800x", 200, 0, 0, 0, "id",
        "10.0.0.1");
    Utf8Line out = new Utf8Line(4);
    AccessLogFormat.TEXT.append(out, new AccessLogFormat.Timestamps(), e);

    byte[] bytes = Arrays.copyOf(out.bytes(), out.length());
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
        "2026-11-26T15:33:27.045Z GET /caf\u00e9/\u20ac/\ud83d\ude00/?x 200 0.000 ms in=0 B out=0 B correlation_id=id"
            + " client=10.0.0.1\n");
    assertThat(bytes).hasSize(out.toString().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void numbersOfEveryMagnitudeAreWrittenAsDecimal() {
    Utf8Line out = new Utf8Line(1);
    for (long v : new long[] {0, 7, 10, 1234567890123L, -42, Long.MAX_VALUE, Long.MIN_VALUE}) {
      out.number(v).ascii(' ');
    }
    assertThat(out.toString()).isEqualTo("0 7 10 1234567890123 -42 9223372036854775807 -9223372036854775808 ");
  }

  @Test
  void durationsAreMillisecondsRoundedToTheMicrosecond() {
    Utf8Line sb = new Utf8Line(8);
    for (long nanos : new long[] {0, 499, 500, 1_000_000, 1_234_567_890L, -5}) {
      AccessLogFormat.millis(sb, nanos);
      sb.ascii(' ');
    }
    assertThat(sb.toString()).isEqualTo("0.000 0.000 0.001 1.000 1234.568 0.000 ");
  }

  @Test
  void theTimestampFollowsTheClockAcrossSecondsAndIsUtc() {
    AccessLogFormat.Timestamps clock = new AccessLogFormat.Timestamps();
    Utf8Line sb = new Utf8Line(8);
    clock.append(sb, AT);
    sb.ascii(' ');
    clock.append(sb, AT + 960);
    sb.ascii(' ');
    clock.append(sb, 0);
    assertThat(sb.toString()).isEqualTo("2026-11-26T15:33:27.045Z 2026-11-26T15:33:28.005Z 1970-01-01T00:00:00.000Z");
  }
}
