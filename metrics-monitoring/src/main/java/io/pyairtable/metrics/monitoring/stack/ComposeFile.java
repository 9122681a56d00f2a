package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code docker-compose.monitoring.yml}: Prometheus (config and rule files mounted), Alertmanager
 * (Slack webhook URL from {@code SLACK_WEBHOOK_URL}), Grafana (provisioning and dashboards mounted,
 * admin password from {@code GRAFANA_ADMIN_PASSWORD}, required), Redis and its exporter. Images are
 * pinned, every service that is depended on is defined, each has a healthcheck, and the network is
 * created by Compose itself ({@code pyairtable-network}; the services can join it as an external
 * network, or be scraped on the host through {@code host.docker.internal}).
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

  /** The network Compose creates and the services may join. */
  public static final String NETWORK = "pyairtable-network";

  private ComposeFile() {}

  /** The Compose document mounting {@code ruleFiles} (relative to the export directory) into Prometheus. */
  public static ObjectNode toJson(List<String> ruleFiles) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "3.8");
    ObjectNode services = root.putObject("services");

    ObjectNode prometheus = service(services, "prometheus", PROMETHEUS_IMAGE, "9090:9090");
    ArrayNode pv = prometheus.putArray("volumes");
    pv.add("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    for (String rule : ruleFiles) {
      pv.add("./" + rule + ":/etc/prometheus/" + rule + ":ro");
    }
    pv.add("prometheus_data:/prometheus");
    prometheus.putArray("command")
        .add("--config.file=/etc/prometheus/prometheus.yml")
        .add("--storage.tsdb.path=/prometheus")
        .add("--storage.tsdb.retention.time=35d")
        .add("--web.enable-lifecycle");
    prometheus.putArray("extra_hosts").add("host.docker.internal:host-gateway");
    healthcheck(prometheus, "wget -q --spider http://localhost:9090/-/healthy");
    dependsOnHealthy(prometheus, "alertmanager");

    ObjectNode alertmanager = service(services, "alertmanager", ALERTMANAGER_IMAGE, "9093:9093");
    alertmanager.putObject("environment").put("SLACK_WEBHOOK_URL",
        "${SLACK_WEBHOOK_URL:?set SLACK_WEBHOOK_URL to the Slack incoming-webhook URL}");
    alertmanager.putArray("entrypoint").add("/bin/sh").add("-c")
        .add("umask 077 && printf '%s' \"$$SLACK_WEBHOOK_URL\" > " + AlertmanagerConfig.DEFAULT_WEBHOOK_FILE
            + " && exec /bin/alertmanager --config.file=/etc/alertmanager/alertmanager.yml"
            + " --storage.path=/alertmanager");
    alertmanager.putArray("volumes")
        .add("./alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro")
        .add("alertmanager_data:/alertmanager");
    healthcheck(alertmanager, "wget -q --spider http://localhost:9093/-/healthy");

    ObjectNode grafana = service(services, "grafana", GRAFANA_IMAGE, "3000:3000");
    grafana.putObject("environment")
        .put("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}")
        .put("GF_USERS_ALLOW_SIGN_UP", "false");
    grafana.putArray("volumes")
        .add("./grafana/provisioning:/etc/grafana/provisioning:ro")
        .add("./grafana/dashboards:/var/lib/grafana/dashboards:ro")
        .add("grafana_data:/var/lib/grafana");
    healthcheck(grafana, "wget -q --spider http://localhost:3000/api/health");
    dependsOnHealthy(grafana, "prometheus");

    ObjectNode redis = service(services, "redis", REDIS_IMAGE, "6379:6379");
    healthcheck(redis, "redis-cli ping | grep -q PONG");

    ObjectNode exporter = service(services, "redis-exporter", REDIS_EXPORTER_IMAGE, "9121:9121");
    exporter.putObject("environment").put("REDIS_ADDR", "redis://redis:6379");
    healthcheck(exporter, "wget -q --spider http://localhost:9121/health");
    dependsOnHealthy(exporter, "redis");

    ObjectNode volumes = root.putObject("volumes");
    volumes.putObject("prometheus_data");
    volumes.putObject("alertmanager_data");
    volumes.putObject("grafana_data");
    root.putObject("networks").putObject("pyairtable").put("name", NETWORK);
    return root;
  }

  private static ObjectNode service(ObjectNode services, String name, String image, String port) {
    ObjectNode s = services.putObject(name);
    s.put("image", image);
    s.put("container_name", "pyairtable-" + name);
    s.put("restart", "unless-stopped");
    s.putArray("ports").add(port);
    s.putArray("networks").add("pyairtable");
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
