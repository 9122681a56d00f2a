package io.pyairtable.metrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.ExternalTool;
import io.pyairtable.metrics.monitoring.MonitoringExport;
import io.pyairtable.metrics.monitoring.yaml.YamlDocuments;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The HA pair and remote-write options of {@code export-configs}: files, labels, queue, keep list, promtool. */
class RemoteWriteExportTest {

  private static final String RECEIVER = "http://127.0.0.1:9009/api/v1/push";

  @Test
  void haPairWritesTwoConfigsThatDifferFromTheSingleOneOnlyByTheReplicaLabelAndItsAlertLabeldrop(@TempDir Path dir) throws Exception {
    int exit = new CommandLine(new ExportConfigsCommand()).execute("--ha-pair", "--remote-write", RECEIVER,
        "--remote-write-queue", "batch_send_deadline=1s", "--remote-write-queue", "max_shards=4", dir.toString());
    assertThat(exit).isZero();
    JsonNode single = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml")));
    for (String replica : List.of("a", "b")) {
      ObjectNode config = (ObjectNode) YamlDocuments.read(Files.readString(dir.resolve("prometheus-" + replica + ".yml")));
      assertThat(config.get("global").get("external_labels").toString())
          .isEqualTo("{\"monitor\":\"pyairtable\",\"replica\":\"" + replica + "\"}");
      // Alerts leave without replica, so Alertmanager sees the pair's alerts as one and deduplicates them.
      assertThat(config.get("alerting").get("alert_relabel_configs").toString())
          .isEqualTo("[{\"action\":\"labeldrop\",\"regex\":\"replica\"}]");
      ((ObjectNode) config.get("global").get("external_labels")).remove("replica");
      ((ObjectNode) config.get("alerting")).remove("alert_relabel_configs");
      assertThat(config).isEqualTo(single);
      ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "config", "prometheus-" + replica + ".yml");
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output()).contains("SUCCESS: 2 rule files found");
    }
    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "config", "prometheus.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
    JsonNode rw = single.get("remote_write").get(0);
    assertThat(single.get("remote_write")).hasSize(1);
    assertThat(rw.get("url").asText()).isEqualTo(RECEIVER);
    assertThat(rw.get("queue_config").toString()).isEqualTo("{\"capacity\":10000,\"max_shards\":4,\"min_shards\":1,"
        + "\"max_samples_per_send\":2000,\"batch_send_deadline\":\"1s\",\"min_backoff\":\"30ms\",\"max_backoff\":\"5s\"}");
    JsonNode keep = rw.get("write_relabel_configs");
    assertThat(keep).hasSize(1);
    assertThat(keep.get(0).get("action").asText()).isEqualTo("keep");
    assertThat(keep.get(0).get("source_labels").toString()).isEqualTo("[\"__name__\"]");
    assertThat(keep.get(0).get("regex").asText()).isEqualTo(String.join("|", MonitoringExport.builder().build().readSeries()));
  }

  @Test
  void theDefaultExportStaysASinglePrometheusWithoutRemoteWrite(@TempDir Path dir) throws Exception {
    assertThat(new CommandLine(new ExportConfigsCommand()).execute(dir.toString())).isZero();
    JsonNode config = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml")));
    assertThat(config.has("remote_write")).isFalse();
    assertThat(config.get("global").get("external_labels").toString()).isEqualTo("{\"monitor\":\"pyairtable\"}");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("prometheus"))).containsExactly(
          "prometheus.yml");
    }
  }

  @Test
  void remoteWriteAllSeriesSendsEverythingWithTheDefaultQueue(@TempDir Path dir) throws Exception {
    assertThat(new CommandLine(new ExportConfigsCommand()).execute("--remote-write-url", RECEIVER,
        "--remote-write-all-series", dir.toString())).isZero();
    JsonNode rw = YamlDocuments.read(Files.readString(dir.resolve("prometheus.yml"))).get("remote_write").get(0);
    assertThat(rw.has("write_relabel_configs")).isFalse();
    assertThat(rw.get("queue_config").toString()).isEqualTo("{\"capacity\":10000,\"max_shards\":10,\"min_shards\":1,"
        + "\"max_samples_per_send\":2000,\"batch_send_deadline\":\"5s\",\"min_backoff\":\"30ms\",\"max_backoff\":\"5s\"}");
    ExternalTool.Result r = ExternalTool.run(dir, "promtool", "check", "config", "prometheus.yml");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void anUnknownOrMalformedQueueSettingIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
    for (String bad : List.of("max_shard=4", "max_shards=0", "batch_send_deadline=1", "capacity")) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new ExportConfigsCommand()).setErr(new PrintWriter(err));
      int exit = cli.execute("--remote-write", RECEIVER, "--remote-write-queue", bad, dir.resolve("out").toString());
      assertThat(exit).as(bad).isEqualTo(2);
      assertThat(err.toString()).as(bad).containsAnyOf("unknown queue setting", "needs");
    }
    assertThat(dir.resolve("out")).doesNotExist();
  }

}
