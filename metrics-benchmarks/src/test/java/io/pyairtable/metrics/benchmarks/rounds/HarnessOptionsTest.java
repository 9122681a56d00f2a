package io.pyairtable.metrics.benchmarks.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

  private static final String[] DEFAULTS = {"rounds", "5", "rate", "50000"};

  @Test
  void argumentsOverrideTheirDefaultsAndTheOthersKeepThem() {
    assertThat(HarnessOptions.parse(new String[] {"rate=2000"}, DEFAULTS))
        .containsExactly(entry("rounds", "5"), entry("rate", "2000"));
  }

  @Test
  void aValueMayHoldAnEqualsSign() {
    assertThat(HarnessOptions.parse(new String[] {"rounds=a=b"}, DEFAULTS)).containsEntry("rounds", "a=b");
  }

  @Test
  void anUnknownKeyOrAnArgumentWithoutAKeyIsRefusedWithTheKeysTaken() {
    assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"round=3"}, DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arguments are key=value with keys [rounds, rate], got round=3");
    assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"=3"}, DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arguments are key=value with keys [rounds, rate], got =3");
    assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"3"}, DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("arguments are key=value with keys [rounds, rate], got 3");
  }

  @Test
  void keysAndDefaultsMustComeInPairs() {
    assertThatThrownBy(() -> HarnessOptions.parse(new String[0], "rounds", "5", "rate"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("keys and defaults come in pairs, got 3 strings");
  }
}
