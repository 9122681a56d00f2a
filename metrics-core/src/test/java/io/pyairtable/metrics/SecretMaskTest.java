package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskTest {

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "redis://:hunter2@cache:6379/0 -> redis://:***@cache:6379/0",
      "rediss://app:hunter2@cache.example:6380 -> rediss://app:***@cache.example:6380",
      "redis://hunter2@cache:6379 -> redis://***@cache:6379",
      "redis://:p%40ss:w@rd@cache:6379 -> redis://:***@cache:6379",
      "postgresql://db/app?user=app&password=hunter2&ssl=true -> postgresql://db/app?user=app&password=***&ssl=true",
      "https://api.example/v1?api_key=abc123 -> https://api.example/v1?api_key=***"})
  void passwordsInUrlsAreMaskedAndTheRestIsKept(String url, String masked) {
    assertThat(SecretMask.url(url)).isEqualTo(masked);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"redis://127.0.0.1:6379", "http://127.0.0.1:8000/api/airtable/bases?pageSize=3"})
  void urlsWithoutSecretsAndNullComeBackUnchanged(String url) {
    assertThat(SecretMask.url(url)).isEqualTo(url);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", nullValues = "null", value = {
      "pyairtable-demo-key -> pyai***",
      "short-key -> ***",
      "null -> null"})
  void keysKeepFourCharactersOnlyWhenLongAndNothingWhenShort(String key, String masked) {
    assertThat(SecretMask.key(key)).isEqualTo(masked);
  }
}
