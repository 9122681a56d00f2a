package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;

/**
 * {@code docker-compose.monitoring.yml}: Prometheus (config and rule files mounted; or an HA pair,
 * {@code prometheus-a} and {@code prometheus-b}), Alertmanager,
 * Grafana (provisioning and dashboards mounted, admin password from {@code GRAFANA_ADMIN_PASSWORD},
 * the only variable required), Redis and its exporter. Images are pinned, every service that is
 * depended on is defined and each has a healthcheck.
 *
 * <p>Networking: Prometheus and Grafana use the host's network and listen on 127.0.0.1 only
 * (9090, 3000), so Prometheus scrapes services running on the same Linux host at
 * {@code 127.0.0.1:PORT}, exactly as the demo binds them by default; Alertmanager (9093) and the
 * Redis exporter (9121) are published on 127.0.0.1 only; Redis is not published at all. Without
 * {@code SLACK_WEBHOOK_URL} Alertmanager runs {@code alertmanager-no-slack.yml} (no secret needed,
 * alerts in its UI); with it, {@code alertmanager.yml} sends them to Slack.
 *
 * <pre>{@code
 * String yaml = YamlDocuments.write(ComposeFile.toJson(PrometheusConfig.DEFAULT_RULE_FILES));
 * }</pre>
 */
public final class ComposeFile {

  public static final String PROMETHEUS_IMAGE = "prom/prometheus:v2.53.2";
  public static final String ALERTMANAGER_IMAGE = "prom/alertmanager:v0.27.0";
  public static final String GRAFANA_IMAGE = "grafana/grafana:11.2.0";
  public static final String REDIS_IMAGE = "redis:7.2.5-alpine";
  public static final String REDIS_EXPORTER_IMAGE = "oliver006/redis_exporter:v1.62.0-alpine";

  /** The Alertmanager configuration used when {@code SLACK_WEBHOOK_URL} is set. */
  public static final String ALERTMANAGER_FILE = "alertmanager.yml";

  /** The Alertmanager configuration used without {@code SLACK_WEBHOOK_URL}: no secret, alerts in the UI. */
  public static final String ALERTMANAGER_NO_SLACK_FILE = "alertmanager-no-slack.yml";

  /** The port of the (first) Prometheus; the HA pair's second listens on the next one. */
  public static final int PROMETHEUS_PORT = 9090;

  /** The network Compose creates and the services may join. */
  public static final String NETWORK = "pyairtable-network";

  private ComposeFile() {}

  /** The Compose document mounting {@code ruleFiles} (relative to the export directory) into Prometheus. */
  public static ObjectNode toJson(List<String> ruleFiles) {
    return toJson(ruleFiles, List.of());
  }

  /**
   * As {@link #toJson(List)}; with {@code haReplicas} ({@code a}, {@code b}) an HA pair instead of
   * the one Prometheus: {@code prometheus-a} on 127.0.0.1:9090 with {@code prometheus-a.yml},
   * {@code prometheus-b} on 127.0.0.1:9091 with {@code prometheus-b.yml}, each with its own data
   * volume, both sending to the one Alertmanager; Grafana waits for the first.
   */
  public static ObjectNode toJson(List<String> ruleFiles, List<String> haReplicas) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "3.8");
    ObjectNode services = root.putObject("services");
    ObjectNode volumes = f.objectNode();

    List<String> replicas = haReplicas.isEmpty() ? Collections.singletonList(null) : haReplicas;
    for (int i = 0; i < replicas.size(); i++) {
      String replica = replicas.get(i);
      String name = replica == null ? "prometheus" : "prometheus-" + replica;
      String data = replica == null ? "prometheus_data" : "prometheus_" + replica + "_data";
      String listen = "127.0.0.1:" + (PROMETHEUS_PORT + i);
      ObjectNode prometheus = hostNetworked(services, name, PROMETHEUS_IMAGE);
      ArrayNode pv = prometheus.putArray("volumes");
      pv.add("./" + name + ".yml:/etc/prometheus/prometheus.yml:ro");
      for (String rule : ruleFiles) {
        pv.add("./" + rule + ":/etc/prometheus/" + rule + ":ro");
      }
      pv.add(data + ":/prometheus");
      volumes.putObject(data);
      prometheus.putArray("command")
          .add("--config.file=/etc/prometheus/prometheus.yml")
          .add("--storage.tsdb.path=/prometheus")
          .add("--storage.tsdb.retention.time=35d")
          .add("--web.listen-address=" + listen)
          .add("--web.enable-lifecycle");
      healthcheck(prometheus, "wget -q --spider http://" + listen + "/-/healthy");
      dependsOnHealthy(prometheus, "alertmanager");
    }
    String grafanaSource = haReplicas.isEmpty() ? "prometheus" : "prometheus-" + haReplicas.get(0);

    ObjectNode alertmanager = service(services, "alertmanager", ALERTMANAGER_IMAGE, "127.0.0.1:9093:9093");
    alertmanager.putObject("environment").put("SLACK_WEBHOOK_URL", "${SLACK_WEBHOOK_URL:-}");
    alertmanager.putArray("entrypoint").add("/bin/sh").add("-c")
        .add("config=/etc/alertmanager/" + ALERTMANAGER_NO_SLACK_FILE + "; "
            + "if [ -n \"$$SLACK_WEBHOOK_URL\" ]; then umask 077 && printf '%s' \"$$SLACK_WEBHOOK_URL\" > "
            + AlertmanagerConfig.DEFAULT_WEBHOOK_FILE + " && config=/etc/alertmanager/" + ALERTMANAGER_FILE + "; fi; "
            + "exec /bin/alertmanager --config.file=$$config --storage.path=/alertmanager");
    alertmanager.putArray("volumes")
        .add("./" + ALERTMANAGER_FILE + ":/etc/alertmanager/" + ALERTMANAGER_FILE + ":ro")
        .add("./" + ALERTMANAGER_NO_SLACK_FILE + ":/etc/alertmanager/" + ALERTMANAGER_NO_SLACK_FILE + ":ro")
        .add("alertmanager_data:/alertmanager");
    healthcheck(alertmanager, "wget -q --spider http://localhost:9093/-/healthy");

    ObjectNode grafana = hostNetworked(services, "grafana", GRAFANA_IMAGE);
    grafana.putObject("environment")
        .put("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}")
        .put("GF_SERVER_HTTP_ADDR", "127.0.0.1")
        .put("GF_SERVER_HTTP_PORT", "3000")
        .put("GF_USERS_ALLOW_SIGN_UP", "false");
    grafana.putArray("volumes")
        .add("./grafana/provisioning:/etc/grafana/provisioning:ro")
        .add("./grafana/dashboards:/var/lib/grafana/dashboards:ro")
        .add("grafana_data:/var/lib/grafana");
    healthcheck(grafana, "wget -q --spider http://127.0.0.1:3000/api/health");
    dependsOnHealthy(grafana, grafanaSource);

    ObjectNode redis = service(services, "redis", REDIS_IMAGE, null);
    healthcheck(redis, "redis-cli ping | grep -q PONG");

    ObjectNode exporter = service(services, "redis-exporter", REDIS_EXPORTER_IMAGE, "127.0.0.1:9121:9121");
    exporter.putObject("environment").put("REDIS_ADDR", "redis://redis:6379");
    healthcheck(exporter, "wget -q --spider http://localhost:9121/health");
    dependsOnHealthy(exporter, "redis");

    volumes.putObject("alertmanager_data");
    volumes.putObject("grafana_data");
    root.set("volumes", volumes);
    root.putObject("networks").putObject("pyairtable").put("name", NETWORK);
    return root;
  }

  private static ObjectNode service(ObjectNode services, String name, String image, String port) {
    ObjectNode s = services.putObject(name);
    s.put("image", image);
    s.put("container_name", "pyairtable-" + name);
    s.put("restart", "unless-stopped");
    if (port != null) {
      s.putArray("ports").add(port);
    }
    s.putArray("networks").add("pyairtable");
    return s;
  }

  /** A service on the host's network (it can reach the host's 127.0.0.1; it must bind 127.0.0.1 itself). */
  private static ObjectNode hostNetworked(ObjectNode services, String name, String image) {
    ObjectNode s = services.putObject(name);
    s.put("image", image);
    s.put("container_name", "pyairtable-" + name);
    s.put("restart", "unless-stopped");
    s.put("network_mode", "host");
    return s;
  }

  private static void healthcheck(ObjectNode service, String command) {
    ObjectNode h = service.putObject("healthcheck");
    h.putArray("test").add("CMD-SHELL").add(command);
    h.put("interval", "10s");
    h.put("timeout", "5s");
    h.put("retries", 5);
    h.put("start_period", "10s");
  }

  private static void dependsOnHealthy(ObjectNode service, String dependency) {
    ObjectNode deps = service.has("depends_on") ? (ObjectNode) service.get("depends_on")
        : service.putObject("depends_on");
    deps.putObject(dependency).put("condition", "service_healthy");
  }
}
