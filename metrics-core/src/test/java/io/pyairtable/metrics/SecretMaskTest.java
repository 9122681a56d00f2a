package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretMaskTest {

  @Test
  void passwordsInUrlsAreMaskedAndTheRestIsKept() {
    assertThat(SecretMask.url("redis://:hunter2@cache:6379/0")).isEqualTo("redis://:***@cache:6379/0");
    assertThat(SecretMask.url("rediss://app:hunter2@cache.example:6380")).isEqualTo("rediss://app:***@cache.example:6380");
    assertThat(SecretMask.url("redis://hunter2@cache:6379")).isEqualTo("redis://***@cache:6379");
    assertThat(SecretMask.url("redis://:p%40ss:w@rd@cache:6379")).isEqualTo("redis://:***@cache:6379");
    assertThat(SecretMask.url("postgresql://db/app?user=app&password=hunter2&ssl=true"))
        .isEqualTo("postgresql://db/app?user=app&password=***&ssl=true");
    assertThat(SecretMask.url("https://api.example/v1?api_key=abc123")).isEqualTo("https://api.example/v1?api_key=***");
  }

  @Test
  void urlsWithoutSecretsAndNullComeBackUnchanged() {
    assertThat(SecretMask.url("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    assertThat(SecretMask.url("http://127.0.0.1:8000/api/airtable/bases?pageSize=3")).isEqualTo(
        "http://127.0.0.1:8000/api/airtable/bases?pageSize=3");
    assertThat(SecretMask.url(null)).isNull();
  }

  @Test
  void keysKeepFourCharactersOnlyWhenLongAndNothingWhenShort() {
    assertThat(SecretMask.key("pyairtable-demo-key")).isEqualTo("pyai***");
    assertThat(SecretMask.key("short-key")).isEqualTo("***");
    assertThat(SecretMask.key(null)).isNull();
  }
}
