package io.pyairtable.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code export-configs} and {@code export-dashboards}: what their options write. */
class ExportCommandsTest {

  @Test
  void exportConfigsWithTargetsHostAndBasePortScrapesThoseAddresses(@TempDir Path dir) throws Exception {
    int exit = new CommandLine(new ExportConfigsCommand(Duration.ofSeconds(10))).execute("--targets-host", "127.0.0.1", "--base-port",
        "9200", "--scrape-interval", "5s", dir.toString());
    assertThat(exit).isZero();
    JsonNode config = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml")));
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.get("scrape_configs")) {
      if (job.get("job_name").asText().startsWith("pyairtable-")) {
        targets.add(job.get("static_configs").get(0).get("targets").get(0).asText());
      }
    }
    assertThat(targets).containsExactly("127.0.0.1:9200", "127.0.0.1:9201", "127.0.0.1:9202", "127.0.0.1:9203");
    assertThat(config.get("global").get("scrape_interval").asText()).isEqualTo("5s");
    assertThat(dir.resolve("k8s/servicemonitors.yaml")).isRegularFile();
  }

  @Test
  void exportConfigsFollowsAServicesFileAndTakesShortAlertTimings(@TempDir Path dir) throws Exception {
    Path services = Files.writeString(dir.resolve("services.yml"), """
        services:
          - name: user-service
            target: users.internal:9100
            healthPath: /healthz
            image: ghcr.io/example/user-service:1.4.2
        """);
    Path out = dir.resolve("out");
    int exit = new CommandLine(new ExportConfigsCommand(Duration.ofSeconds(10))).execute("--services", services.toString(),
        "--alert-for", "20s", "--alert-for", "LowCacheHitRatio=1m", "--group-wait", "1s", "--group-interval", "5s",
        "--repeat-interval", "1m", out.toString());
    assertThat(exit).isZero();
    JsonNode config = YamlDocuments.read(Files.readString(out.resolve("prometheus.yml")));
    List<String> jobs = new ArrayList<>();
    config.get("scrape_configs").forEach(j -> jobs.add(j.get("job_name").asText() + " "
        + j.get("static_configs").get(0).get("targets").get(0).asText()));
    assertThat(jobs).contains("pyairtable-api-gateway 127.0.0.1:8000", "pyairtable-user-service users.internal:9100");
    String alerts = Files.readString(out.resolve("alerts.yml"));
    assertThat(alerts.split("for: \"20s\"", -1)).hasSize(6);
    assertThat(alerts).contains("for: \"1m\"").doesNotContain("for: \"5m\"");
    JsonNode am = YamlDocuments.read(Files.readString(out.resolve("alertmanager.yml")));
    assertThat(am.get("route").get("group_wait").asText()).isEqualTo("1s");
    assertThat(am.get("route").get("group_interval").asText()).isEqualTo("5s");
    assertThat(am.get("route").get("repeat_interval").asText()).isEqualTo("1m");
    assertThat(Files.readString(out.resolve("slo-rules.yml"))).contains("name: \"slo.user-service\"");
    Services read = Services.read(services);
    assertThat(read.services().get(4)).isEqualTo(new MonitoredService("user-service", null, "users.internal:9100",
        null, Map.of(), "/healthz", "ghcr.io/example/user-service:1.4.2"));
  }

  @Test
  void theWorkloadsFollowTheGraceTheCommandIsBuiltWithAndAreLeftOutWithoutOne(@TempDir Path dir) throws Exception {
    Path with = dir.resolve("with");
    assertThat(new CommandLine(new ExportConfigsCommand(Duration.ofSeconds(25))).execute("--image-pattern",
        "registry.example.com/{service}:3", with.toString())).isZero();
    String llm = Files.readString(with.resolve("k8s/workloads/llm-orchestrator.yaml"));
    // 5 s pre-stop delay + 25 s grace + 5 s margin
    assertThat(llm).contains("terminationGracePeriodSeconds: 35").contains("image: \"registry.example.com/llm-orchestrator:3\"");
    Path without = dir.resolve("without");
    assertThat(new CommandLine(new ExportConfigsCommand()).execute(without.toString())).isZero();
    assertThat(without.resolve("k8s/servicemonitors.yaml")).exists();
    assertThat(without.resolve("k8s/workloads")).doesNotExist();
  }

  @Test
  void exportDashboardsWritesTheSevenJsonFiles(@TempDir Path dir) {
    int exit = new CommandLine(new ExportDashboardsCommand()).execute(dir.toString());
    assertThat(exit).isZero();
    assertThat(dir.toFile().list()).hasSize(7).allMatch(n -> n.endsWith(".json"));
  }

}
