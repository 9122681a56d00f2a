package io.pyairtable.metrics.examples.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AirtableGatewayConfigTest {

  private static final URI EMULATOR = URI.create("http://127.0.0.1:9200");

  @Test
  void apiKeySelectsTheRealApiUnlessABaseUrlIsGiven() {
    AirtableGatewayConfig real = AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_API_KEY", " pat123 ", "AIRTABLE_MONTHLY_CALL_LIMIT", "500000")).build();
    assertThat(real.upstream()).isEqualTo(URI.create(AirtableGatewayConfig.AIRTABLE_API));
    assertThat(real.apiToken()).isEqualTo("pat123");
    assertThat(real.monthlyCallLimit()).isEqualTo(500_000L);
    AirtableGatewayConfig proxied = AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_API_KEY", "pat123", "AIRTABLE_BASE_URL", "http://airtable-proxy:8080")).build();
    assertThat(proxied.upstream()).isEqualTo(URI.create("http://airtable-proxy:8080"));
    AirtableGatewayConfig.Builder withoutKey = AirtableGatewayConfig.fromEnvironment(Map.of());
    assertThat(withoutKey.hasUpstream()).isFalse();
    AirtableGatewayConfig emulated = withoutKey.upstream(EMULATOR, "emu").build();
    assertThat(emulated.upstream()).isEqualTo(EMULATOR);
    assertThat(emulated.apiToken()).isEqualTo("emu");
    assertThat(emulated.monthlyCallLimit()).isEqualTo(100_000L);
  }

  @Test
  void invalidMonthlyCallLimitFailsNamingItsVariable() {
    assertThatThrownBy(() -> AirtableGatewayConfig.fromEnvironment(
        Map.of("AIRTABLE_MONTHLY_CALL_LIMIT", "100k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AIRTABLE_MONTHLY_CALL_LIMIT=\"100k\" is invalid: expected a whole number >= 1");
  }

  @Test
  void redisClusterNodesAndReplicaCountComeFromTheEnvironmentSingleRedisStaysTheDefault() {
    AirtableGatewayConfig cluster = AirtableGatewayConfig.fromEnvironment(Map.of("REDIS_CLUSTER_NODES",
        "10.0.0.1:7000, 10.0.0.2:7001,10.0.0.3:7002", "RATE_LIMIT_REPLICAS", "3")).upstream(EMULATOR, "emu")
        .build();
    assertThat(cluster.redisClusterNodes()).hasValue("10.0.0.1:7000, 10.0.0.2:7001,10.0.0.3:7002");
    assertThat(cluster.rateLimitReplicas()).isEqualTo(3);
    AirtableGatewayConfig single = AirtableGatewayConfig.fromEnvironment(Map.of("REDIS_URL", "redis://r:6379"))
        .upstream(EMULATOR, "emu").build();
    assertThat(single.redisClusterNodes()).isEmpty();
    assertThat(single.redisUrl()).hasValue("redis://r:6379");
    assertThat(single.rateLimitReplicas()).isEqualTo(1);
  }

  @Test
  void malformedClusterNodeFailsNamingItsVariable() {
    assertThatThrownBy(() -> AirtableGatewayConfig.fromEnvironment(
        Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REDIS_CLUSTER_NODES: cluster node is not host:port: 10.0.0.2");
    assertThatThrownBy(() -> AirtableGatewayConfig.fromEnvironment(
        Map.of("RATE_LIMIT_REPLICAS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("RATE_LIMIT_REPLICAS=\"0\" is invalid");
  }

  @Test
  void redisTimeoutComesFromTheEnvironmentAndDefaultsTo250Ms() {
    assertThat(AirtableGatewayConfig.fromEnvironment(Map.of("REDIS_TIMEOUT", "2s")).upstream(EMULATOR, "emu").build()
        .redisTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(AirtableGatewayConfig.fromEnvironment(Map.of()).upstream(EMULATOR, "emu").build().redisTimeout())
        .isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> AirtableGatewayConfig.fromEnvironment(Map.of("REDIS_TIMEOUT", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("REDIS_TIMEOUT=\"soon\" is invalid: expected a duration such as 250ms");
  }
}
