package io.pyairtable.metrics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.monitoring.rules.BurnRateWindow;
import io.pyairtable.metrics.monitoring.rules.RuleGroup;
import io.pyairtable.metrics.monitoring.rules.ServiceSlo;
import io.pyairtable.metrics.monitoring.rules.SloConfig;
import io.pyairtable.metrics.monitoring.rules.SloRules;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SloConfigTest {

  @Test
  void latencyThresholdThatIsNotABucketBoundaryIsRefused() {
    assertThatThrownBy(() -> new ServiceSlo("api-gateway", 0.999, 0.99, 0.3, "30d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.3 s of api-gateway is not a bucket boundary of http_request_duration_seconds");
  }

  @Test
  void objectiveOutsideZeroAndOneIsRefused() {
    assertThatThrownBy(() -> new ServiceSlo("api-gateway", 99.9, 0.99, 1.0, "30d"))
        .hasMessageContaining("availabilityObjective must be strictly between 0 and 1");
  }

  @Test
  void defaultsAre999Over30DaysForTheFourServices() {
    SloConfig d = SloConfig.defaults();
    assertThat(d.slos()).hasSize(4).allSatisfy(s -> {
      assertThat(s.availabilityObjective()).isEqualTo(0.999);
      assertThat(s.latencyObjective()).isEqualTo(0.999);
      assertThat(s.period()).isEqualTo("30d");
    });
    assertThat(d.slos()).extracting(ServiceSlo::latencyThresholdSeconds).containsExactly(1.0, 1.0, 1.0, 10.0);
  }

  @Test
  void burnRateFactorsOverThirtyDaysAreTheWorkbooksOnes() {
    assertThat(BurnRateWindow.DEFAULTS).extracting(w -> w.factor(720).toPlainString())
        .containsExactly("14.4", "6", "3", "1");
    assertThat(BurnRateWindow.DEFAULTS).extracting(w -> w.shortWindow() + "&" + w.longWindow())
        .containsExactly("5m&1h", "30m&6h", "2h&1d", "6h&3d");
  }

  @Test
  void configFileOverridesObjectiveWindowAndThreshold(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slo.yml");
    Files.writeString(file, """
        slos:
          - service: api-gateway
            availabilityObjective: 0.995
            latencyObjective: 0.99
            latencyThresholdSeconds: 0.5
            period: 28d
        """);
    SloConfig config = SloConfig.read(file);
    // api-gateway overridden; the three other services keep their defaults instead of disappearing.
    assertThat(config.slos()).containsExactly(new ServiceSlo("api-gateway", 0.995, 0.99, 0.5, "28d"),
        SloConfig.defaultFor("mcp-server"), SloConfig.defaultFor("airtable-gateway"),
        new ServiceSlo("llm-orchestrator", 0.999, 0.999, 10.0, "30d"));

    String rules = YamlDocuments.write(RuleGroup.ruleFile(
        SloRules.groups(config)));
    // 28 days, 0.5% budget: page threshold 2% of 672 h in 1 h = 13.44x.
    assertThat(rules).contains("> (13.44 * 0.005)").contains("le=~\"0\\\\.5\"")
        .contains("[28d]").contains("vector(0.995)").contains("slo.mcp-server");
  }

  @Test
  void sloFileAddsANewServiceAndOverridesOnlyTheFieldsItNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slo.yml");
    Files.writeString(file, """
        slos:
          - service: mcp-server
            availabilityObjective: 0.99
          - service: user-service
            latencyThresholdSeconds: 0.25
        """);
    SloConfig config = SloConfig.read(file);
    assertThat(config.slos()).containsExactly(SloConfig.defaultFor("api-gateway"),
        new ServiceSlo("mcp-server", 0.99, 0.999, 1.0, "30d"), SloConfig.defaultFor("airtable-gateway"),
        SloConfig.defaultFor("llm-orchestrator"), new ServiceSlo("user-service", 0.999, 0.999, 0.25, "30d"));
  }

  @Test
  void sloFileWithAnUnknownFieldOrATwiceNamedServiceIsRefused(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("typo.yml");
    Files.writeString(typo, "slos:\n  - {service: api-gateway, availabilityObjectiv: 0.99}\n");
    assertThatThrownBy(() -> SloConfig.read(typo)).hasMessageContaining("availabilityObjectiv");
    Path twice = dir.resolve("twice.yml");
    Files.writeString(twice, "slos:\n  - {service: api-gateway}\n  - {service: api-gateway}\n");
    assertThatThrownBy(() -> SloConfig.read(twice)).hasMessageContaining("api-gateway appears twice");
  }
}
