package io.pyairtable.metrics.examples.airtable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Receives Airtable webhook notifications and counts each in
 * {@code airtable_webhook_events_total{base_id, event_type, status}}. Airtable posts
 * {@code {"base":{"id":"app..."},"webhook":{"id":"ach..."},"timestamp":"..."}} and signs the raw
 * body in {@code X-Airtable-Content-MAC: hmac-sha256=<hex>} with the webhook's
 * {@code macSecretBase64}; with a secret configured, the signature is checked. A body carrying
 * {@code payloads} (the shape of Airtable's list-payloads answer) is accepted too, and each payload
 * is counted by what it changed ({@code table_data}, {@code table_created}, {@code table_destroyed},
 * {@code table_metadata}). Status is {@code processed}, {@code invalid_payload} or
 * {@code invalid_signature}; a base id is its own label only once Airtable confirmed it (see
 * {@link AirtableLabels}), otherwise (and when it is not well-formed) it is labelled {@code unknown}.
 *
 * <pre>{@code
 * AirtableWebhookReceiver receiver = new AirtableWebhookReceiver(metrics, macSecretBase64);
 * AirtableWebhookReceiver.Outcome o = receiver.receive(body, ctx.header("X-Airtable-Content-MAC"));
 * ctx.status(o.httpStatus());
 * }</pre>
 */
public final class AirtableWebhookReceiver {

  /** The header Airtable signs notifications in. */
  public static final String MAC_HEADER = "X-Airtable-Content-MAC";

  private static final Pattern WEBHOOK_ID = Pattern.compile("ach[A-Za-z0-9]{14}");
  private static final String UNKNOWN_BASE = "unknown";

  /** What became of one notification. */
  public record Outcome(int httpStatus, String status, String baseLabel, List<String> eventTypes) {}

  private final ObjectMapper json = new ObjectMapper();
  private final MetricsCollector metrics;
  private final byte[] macSecret;
  private final AirtableLabels labels;

  /**
   * @param metrics where the events are counted
   * @param macSecretBase64 the webhook's MAC secret as Airtable returned it, or null to accept unsigned notifications
   */
  public AirtableWebhookReceiver(MetricsCollector metrics, String macSecretBase64) {
    this(metrics, macSecretBase64, new AirtableLabels());
  }

  /**
   * @param metrics where the events are counted
   * @param macSecretBase64 the webhook's MAC secret as Airtable returned it, or null to accept unsigned notifications
   * @param labels the bases Airtable confirmed: a notification's base id is its label only once confirmed, else {@code unknown}
   */
  public AirtableWebhookReceiver(MetricsCollector metrics, String macSecretBase64, AirtableLabels labels) {
    this.metrics = metrics;
    this.labels = labels;
    this.macSecret = macSecretBase64 == null || macSecretBase64.isBlank() ? null
        : Base64.getDecoder().decode(macSecretBase64);
  }

  /** Validates and counts one notification; {@code macHeader} may be null. */
  public Outcome receive(byte[] body, String macHeader) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      return count(400, "invalid_payload", UNKNOWN_BASE, List.of("malformed"));
    }
    if (root == null || !root.isObject()) {
      return count(400, "invalid_payload", UNKNOWN_BASE, List.of("malformed"));
    }
    String baseId = root.path("base").path("id").asText("");
    String labelBase = AirtableIds.isBaseId(baseId) ? labels.base(baseId) : UNKNOWN_BASE;
    if (macSecret != null && !signatureMatches(body, macHeader)) {
      return count(401, "invalid_signature", labelBase, List.of("notification"));
    }
    if (root.has("payloads")) {
      return receivePayloads(root, labelBase);
    }
    boolean valid = AirtableIds.isBaseId(baseId)
        && WEBHOOK_ID.matcher(root.path("webhook").path("id").asText("")).matches()
        && isTimestamp(root.path("timestamp").asText(""));
    return valid ? count(200, "processed", labelBase, List.of("notification"))
        : count(400, "invalid_payload", labelBase, List.of("notification"));
  }

  private Outcome receivePayloads(JsonNode root, String labelBase) {
    JsonNode payloads = root.get("payloads");
    if (!payloads.isArray() || !AirtableIds.isBaseId(root.path("base").path("id").asText(""))) {
      return count(400, "invalid_payload", labelBase, List.of("payload"));
    }
    List<String> types = new ArrayList<>();
    for (JsonNode payload : payloads) {
      if (!payload.path("baseTransactionNumber").canConvertToLong() || !isTimestamp(payload.path("timestamp").asText(""))) {
        return count(400, "invalid_payload", labelBase, List.of("payload"));
      }
      types.add(kindOf(payload));
    }
    return count(200, "processed", labelBase, types);
  }

  private static String kindOf(JsonNode payload) {
    if (payload.has("createdTablesById")) {
      return "table_created";
    }
    if (payload.has("destroyedTableIds")) {
      return "table_destroyed";
    }
    JsonNode changed = payload.path("changedTablesById");
    for (JsonNode table : changed) {
      if (table.has("changedMetadata") || table.has("createdFieldsById") || table.has("changedFieldsById")
          || table.has("destroyedFieldIds")) {
        return "table_metadata";
      }
    }
    return "table_data";
  }

  private Outcome count(int httpStatus, String status, String baseLabel, List<String> types) {
    for (String type : types) {
      metrics.airtableGateway().recordWebhookEvent(baseLabel, type, status);
    }
    return new Outcome(httpStatus, status, baseLabel, List.copyOf(types));
  }

  private boolean signatureMatches(byte[] body, String header) {
    if (header == null || !header.startsWith("hmac-sha256=")) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macSecret, "HmacSHA256"));
      byte[] expected = mac.doFinal(body);
      byte[] given = HexFormat.of().parseHex(header.substring("hmac-sha256=".length()).toLowerCase());
      return MessageDigest.isEqual(expected, given);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The header value Airtable would send for {@code body} signed with {@code macSecretBase64}. */
  public static String sign(String body, String macSecretBase64) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(macSecretBase64), "HmacSHA256"));
      return "hmac-sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static boolean isTimestamp(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
