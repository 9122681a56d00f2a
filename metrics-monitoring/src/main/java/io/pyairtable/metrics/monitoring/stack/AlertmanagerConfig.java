package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code alertmanager.yml}: alerts grouped by name and service, routed by severity to two Slack
 * receivers whose webhook URL is read from a file ({@code api_url_file}, never written into the
 * config), and two inhibitions that can match because both sides carry the labels compared: a
 * critical alert silences the warning of the same alert name and service (the SLO page and ticket
 * share both), and ServiceDown silences every warning of its service.
 *
 * <pre>{@code
 * String yaml = YamlDocuments.write(AlertmanagerConfig.builder()
 *     .slackWebhookUrlFile("/run/secrets/slack-webhook-url").build().toJson());
 * }</pre>
 */
public final class AlertmanagerConfig {

  /** Where the Compose file puts the webhook URL taken from {@code SLACK_WEBHOOK_URL}. */
  public static final String DEFAULT_WEBHOOK_FILE = "/tmp/slack-webhook-url";

  private final Builder b;

  private AlertmanagerConfig(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.putObject("global").put("resolve_timeout", "5m");
    ObjectNode route = root.putObject("route");
    route.put("receiver", "slack-warning");
    route.putArray("group_by").add("alertname").add("service");
    route.put("group_wait", "30s");
    route.put("group_interval", "5m");
    route.put("repeat_interval", "4h");
    ArrayNode routes = route.putArray("routes");
    ObjectNode critical = routes.addObject();
    critical.putArray("matchers").add("severity=\"critical\"");
    critical.put("receiver", "slack-critical");
    critical.put("repeat_interval", "1h");
    ObjectNode warning = routes.addObject();
    warning.putArray("matchers").add("severity=\"warning\"");
    warning.put("receiver", "slack-warning");

    ArrayNode receivers = root.putArray("receivers");
    receivers.add(receiver("slack-critical", b.criticalChannel));
    receivers.add(receiver("slack-warning", b.warningChannel));

    ArrayNode inhibit = root.putArray("inhibit_rules");
    ObjectNode sameAlert = inhibit.addObject();
    sameAlert.putArray("source_matchers").add("severity=\"critical\"");
    sameAlert.putArray("target_matchers").add("severity=\"warning\"");
    sameAlert.putArray("equal").add("alertname").add("service");
    ObjectNode serviceDown = inhibit.addObject();
    serviceDown.putArray("source_matchers").add("alertname=\"ServiceDown\"");
    serviceDown.putArray("target_matchers").add("severity=\"warning\"");
    serviceDown.putArray("equal").add("service");
    return root;
  }

  private ObjectNode receiver(String name, String channel) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.put("name", name);
    ObjectNode slack = r.putArray("slack_configs").addObject();
    slack.put("api_url_file", b.webhookFile);
    slack.put("channel", channel);
    slack.put("send_resolved", true);
    slack.put("title", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.service }}");
    slack.put("text", "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
        + "Runbook: {{ .Annotations.runbook }}\n{{ end }}");
    return r;
  }

  /** Options of {@code alertmanager.yml}. */
  public static final class Builder {
    private String webhookFile = DEFAULT_WEBHOOK_FILE;
    private String criticalChannel = "#alerts-critical";
    private String warningChannel = "#alerts";

    private Builder() {}

    /** The file holding the Slack incoming-webhook URL. */
    public Builder slackWebhookUrlFile(String path) {
      this.webhookFile = path;
      return this;
    }

    public Builder criticalChannel(String channel) {
      this.criticalChannel = channel;
      return this;
    }

    public Builder warningChannel(String channel) {
      this.warningChannel = channel;
      return this;
    }

    public AlertmanagerConfig build() {
      return new AlertmanagerConfig(this);
    }
  }
}
