package io.pyairtable.metrics.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSettingsTest {

  private static EnvironmentSettings settings(String variable, String value) {
    return new EnvironmentSettings(Map.of(variable, value));
  }

  @Test
  void unsetAndBlankVariablesReadAsEmpty() {
    EnvironmentSettings settings = new EnvironmentSettings(Map.of("BLANK", "  "));
    assertThat(settings.string("UNSET")).isEmpty();
    assertThat(settings.string("BLANK")).isEmpty();
    assertThat(settings.port("BLANK")).isEmpty();
    assertThat(settings.positiveInt("BLANK")).isEmpty();
    assertThat(settings.positiveLong("UNSET")).isEmpty();
    assertThat(settings.duration("BLANK")).isEmpty();
    assertThat(settings.path("BLANK")).isEmpty();
    assertThat(settings.url("BLANK")).isEmpty();
    assertThat(settings.verbatim("UNSET")).isEmpty();
  }

  @Test
  void stringIsTrimmedButVerbatimIsKeptAsSet() {
    EnvironmentSettings settings = settings("PASSWORD", " s3cret ");
    assertThat(settings.string("PASSWORD")).contains("s3cret");
    assertThat(settings.verbatim("PASSWORD")).contains(" s3cret ");
  }

  @Test
  void portsFrom0To65535AreRead() {
    assertThat(settings("P", "0").port("P")).contains(0);
    assertThat(settings("P", " 8003 ").port("P")).contains(8003);
    assertThat(settings("P", "65535").port("P")).contains(65535);
  }

  @Test
  void portOutOfRangeOrNotANumberNamesTheVariable() {
    assertThatThrownBy(() -> settings("LLM_PORT", "65536").port("LLM_PORT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("LLM_PORT=\"65536\" is invalid: expected a port number from 0 to 65535");
    assertThatThrownBy(() -> settings("LLM_PORT", "-1").port("LLM_PORT"))
        .hasMessage("LLM_PORT=\"-1\" is invalid: expected a port number from 0 to 65535");
    assertThatThrownBy(() -> settings("LLM_PORT", "http").port("LLM_PORT"))
        .hasMessage("LLM_PORT=\"http\" is invalid: expected a port number from 0 to 65535");
  }

  @Test
  void positiveNumbersRejectZeroAndOverflow() {
    assertThat(settings("N", "7").positiveInt("N")).contains(7);
    assertThat(settings("N", "3000000000").positiveLong("N")).contains(3_000_000_000L);
    assertThatThrownBy(() -> settings("POOL", "0").positiveInt("POOL"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("POOL=\"0\" is invalid: expected a whole number from 1 to 2147483647");
    assertThatThrownBy(() -> settings("POOL", "2147483648").positiveInt("POOL"))
        .hasMessage("POOL=\"2147483648\" is invalid: expected a whole number from 1 to 2147483647");
    assertThatThrownBy(() -> settings("LIMIT", "1e5").positiveLong("LIMIT"))
        .hasMessage("LIMIT=\"1e5\" is invalid: expected a whole number >= 1");
  }

  @Test
  void durationsTakeMsSecondsMinutesHoursOrBareSeconds() {
    assertThat(settings("D", "250ms").duration("D")).contains(Duration.ofMillis(250));
    assertThat(settings("D", "5s").duration("D")).contains(Duration.ofSeconds(5));
    assertThat(settings("D", "2m").duration("D")).contains(Duration.ofMinutes(2));
    assertThat(settings("D", "1H").duration("D")).contains(Duration.ofHours(1));
    assertThat(settings("D", "10").duration("D")).contains(Duration.ofSeconds(10));
  }

  @Test
  void zeroOrUnknownUnitDurationNamesTheVariable() {
    String expected = " is invalid: expected a duration such as 250ms, 5s, 2m or 1h (a bare whole number means seconds)";
    assertThatThrownBy(() -> settings("TIMEOUT", "0s").duration("TIMEOUT"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("TIMEOUT=\"0s\"" + expected);
    assertThatThrownBy(() -> settings("TIMEOUT", "5 days").duration("TIMEOUT"))
        .hasMessage("TIMEOUT=\"5 days\"" + expected);
    assertThatThrownBy(() -> settings("TIMEOUT", "PT5S").duration("TIMEOUT"))
        .hasMessage("TIMEOUT=\"PT5S\"" + expected);
  }

  @Test
  void pathIsReadAndAPathWithANulCharacterNamesTheVariable() {
    assertThat(settings("DIR", "/srv/files").path("DIR")).contains(Path.of("/srv/files"));
    assertThatThrownBy(() -> settings("DIR", "/srv\0files").path("DIR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DIR=\"/srv\0files\" is invalid: expected a file system path such as /srv/files");
  }

  @Test
  void urlsMustBeAbsoluteHttpWithAHost() {
    assertThat(settings("U", "https://gw:8002/v0").url("U")).contains(URI.create("https://gw:8002/v0"));
    String expected = " is invalid: expected an absolute http:// or https:// URL such as http://127.0.0.1:8002";
    assertThatThrownBy(() -> settings("GATEWAY_URL", "127.0.0.1:8002").url("GATEWAY_URL"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("GATEWAY_URL=\"127.0.0.1:8002\"" + expected);
    assertThatThrownBy(() -> settings("GATEWAY_URL", "ftp://gw").url("GATEWAY_URL"))
        .hasMessage("GATEWAY_URL=\"ftp://gw\"" + expected);
    assertThatThrownBy(() -> settings("GATEWAY_URL", "http://gw host").url("GATEWAY_URL"))
        .hasMessage("GATEWAY_URL=\"http://gw host\"" + expected);
  }
}
