package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;

/**
 * {@code alertmanager.yml}: alerts grouped by name and service, routed by severity to the receivers
 * {@code critical} and {@code warning}, and two inhibitions that can match because both sides carry
 * the labels compared: a critical alert silences the warning of the same alert name and service
 * (the SLO page and ticket share both), and ServiceDown silences every warning of its service.
 * What the receivers do is the delivery:
 * <ul>
 *   <li>{@link #slack(String)}: Slack incoming webhook, URL read from a file ({@code api_url_file},
 *       never written into the config);</li>
 *   <li>{@link #webhook(String)}: Alertmanager's generic webhook JSON to a URL (the demo's console);</li>
 *   <li>{@link #noSecret()}: no integration at all, alerts are listed in Alertmanager's UI only, so
 *       the stack starts without any secret.</li>
 * </ul>
 * Timings ({@code group_wait}, {@code group_interval}, {@code repeat_interval}) come from an
 * {@link AlertTiming}.
 *
 * <pre>{@code
 * String yaml = YamlDocuments.write(AlertmanagerConfig.builder()
 *     .slack("/run/secrets/slack-webhook-url").timing(AlertTiming.production()).build().toJson());
 * }</pre>
 */
public final class AlertmanagerConfig {

  /** Where the Compose file puts the webhook URL taken from {@code SLACK_WEBHOOK_URL}. */
  public static final String DEFAULT_WEBHOOK_FILE = "/tmp/slack-webhook-url";

  /** The receiver of critical alerts. */
  public static final String CRITICAL = "critical";

  /** The receiver of everything else. */
  public static final String WARNING = "warning";

  private enum Delivery { SLACK, WEBHOOK, NONE }

  private final Builder b;

  private AlertmanagerConfig(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    AlertTiming t = b.timing;
    ObjectNode root = f.objectNode();
    root.putObject("global").put("resolve_timeout", "5m");
    ObjectNode route = root.putObject("route");
    route.put("receiver", WARNING);
    route.putArray("group_by").add("alertname").add("service");
    route.put("group_wait", t.groupWait());
    route.put("group_interval", t.groupInterval());
    route.put("repeat_interval", t.repeatInterval());
    ArrayNode routes = route.putArray("routes");
    ObjectNode critical = routes.addObject();
    critical.putArray("matchers").add("severity=\"critical\"");
    critical.put("receiver", CRITICAL);
    critical.put("repeat_interval", t.criticalRepeatInterval());
    ObjectNode warning = routes.addObject();
    warning.putArray("matchers").add("severity=\"warning\"");
    warning.put("receiver", WARNING);

    ArrayNode receivers = root.putArray("receivers");
    receivers.add(receiver(CRITICAL, b.criticalChannel));
    receivers.add(receiver(WARNING, b.warningChannel));

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
    switch (b.delivery) {
      case SLACK -> {
        ObjectNode slack = r.putArray("slack_configs").addObject();
        slack.put("api_url_file", b.destination);
        slack.put("channel", channel);
        slack.put("send_resolved", true);
        slack.put("title", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.service }}");
        slack.put("text", "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n"
            + "Runbook: {{ .Annotations.runbook }}\n{{ end }}");
      }
      case WEBHOOK -> {
        ObjectNode hook = r.putArray("webhook_configs").addObject();
        hook.put("url", b.destination);
        hook.put("send_resolved", true);
      }
      case NONE -> {
        // no integration: the alert is listed in Alertmanager's UI and API only
      }
    }
    return r;
  }

  /** Options of {@code alertmanager.yml}; the default is Slack with the URL in {@link #DEFAULT_WEBHOOK_FILE}. */
  public static final class Builder {
    private Delivery delivery = Delivery.SLACK;
    private String destination = DEFAULT_WEBHOOK_FILE;
    private String criticalChannel = "#alerts-critical";
    private String warningChannel = "#alerts";
    private AlertTiming timing = AlertTiming.production();

    private Builder() {}

    /** Slack (or any Slack-compatible webhook), its URL read from {@code urlFile}. */
    public Builder slack(String urlFile) {
      this.delivery = Delivery.SLACK;
      this.destination = urlFile;
      return this;
    }

    /** The file holding the Slack incoming-webhook URL (same as {@link #slack}). */
    public Builder slackWebhookUrlFile(String path) {
      return slack(path);
    }

    /** Alertmanager's webhook JSON posted to {@code url}. */
    public Builder webhook(String url) {
      this.delivery = Delivery.WEBHOOK;
      this.destination = url;
      return this;
    }

    /** Receivers without any integration: no secret needed, alerts visible in Alertmanager only. */
    public Builder noSecret() {
      this.delivery = Delivery.NONE;
      this.destination = null;
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

    /** group_wait, group_interval and repeat_interval (default: production). */
    public Builder timing(AlertTiming t) {
      this.timing = t;
      return this;
    }

    public AlertmanagerConfig build() {
      return new AlertmanagerConfig(this);
    }
  }
}
