package io.pyairtable.metrics.monitoring.stack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One {@code remote_write} entry of {@code prometheus.yml}: the receiver's URL, the queue settings
 * and a {@code write_relabel_configs} rule that keeps only the given series names (what the
 * dashboards and rules read, see {@link ReadSeries}), so the receiver stores what is looked at and
 * not every JVM and Prometheus self-metric.
 *
 * <pre>{@code
 * RemoteWrite rw = RemoteWrite.to("https://mimir.example/api/v1/push")
 *     .keepOnly(ReadSeries.of(Dashboards.all(), rules))
 *     .queue("batch_send_deadline", "1s");
 * ObjectNode entry = rw.toJson();
 * }</pre>
 *
 * <p>Queue defaults ({@link #DEFAULT_QUEUE}): {@code capacity 10000}, {@code max_shards 10},
 * {@code min_shards 1}, {@code max_samples_per_send 2000}, {@code batch_send_deadline 5s},
 * {@code min_backoff 30ms}, {@code max_backoff 5s}: Prometheus' own defaults except
 * {@code max_shards} (50), which a few services' series never need.
 */
public final class RemoteWrite {

  /** The queue settings written unless overridden. */
  public static final Map<String, String> DEFAULT_QUEUE = defaultQueue();

  private static final Set<String> DURATIONS = Set.of("batch_send_deadline", "min_backoff", "max_backoff");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h))+");

  private final String url;
  private final Set<String> keep;
  private final Map<String, String> queue;
  private final String username;
  private final String passwordFile;

  private RemoteWrite(String url, Set<String> keep, Map<String, String> queue, String username,
      String passwordFile) {
    this.url = Objects.requireNonNull(url, "url");
    this.keep = keep;
    this.queue = queue;
    this.username = username;
    this.passwordFile = passwordFile;
  }

  /** Everything to {@code url}, default queue settings. */
  public static RemoteWrite to(String url) {
    return new RemoteWrite(url, null, DEFAULT_QUEUE, null, null);
  }

  /** Keeps only these series names (null: send every series). */
  public RemoteWrite keepOnly(Set<String> seriesNames) {
    return new RemoteWrite(url, seriesNames == null ? null : new TreeSet<>(seriesNames), queue, username,
        passwordFile);
  }

  /**
   * One queue setting ({@code capacity}, {@code max_shards}, {@code min_shards},
   * {@code max_samples_per_send}, {@code batch_send_deadline}, {@code min_backoff}, {@code max_backoff});
   * an unknown name or a malformed value is refused.
   */
  public RemoteWrite queue(String name, String value) {
    checkQueueSetting(name, value);
    Map<String, String> q = new LinkedHashMap<>(queue);
    q.put(name, value);
    return new RemoteWrite(url, keep, Map.copyOf(q), username, passwordFile);
  }

  /** Refuses an unknown queue setting or a malformed value with an {@link IllegalArgumentException}. */
  public static void checkQueueSetting(String name, String value) {
    if (!DEFAULT_QUEUE.containsKey(name)) {
      throw new IllegalArgumentException("unknown queue setting " + name + "; known: " + DEFAULT_QUEUE.keySet());
    }
    boolean ok = DURATIONS.contains(name) ? DURATION.matcher(value).matches() : value.matches("[1-9][0-9]*");
    if (!ok) {
      throw new IllegalArgumentException("queue setting " + name + " needs "
          + (DURATIONS.contains(name) ? "a duration (5s, 30ms)" : "a positive integer") + ", not " + value);
    }
  }

  /** Basic auth, the password read from a file by Prometheus (never written into the config). */
  public RemoteWrite basicAuth(String user, String file) {
    return new RemoteWrite(url, keep, queue, user, file);
  }

  public String url() {
    return url;
  }

  /** The kept series names, sorted; null when everything is sent. */
  public Set<String> keep() {
    return keep;
  }

  /**
   * The {@code __name__} regex of the keep rule: {@code name1|name2|...} (Prometheus anchors it;
   * metric names hold no regex metacharacters).
   */
  public String keepRegex() {
    return keep == null ? ".+" : String.join("|", keep);
  }

  /** The {@code remote_write} entry. */
  public ObjectNode toJson() {
    ObjectNode rw = JsonNodeFactory.instance.objectNode();
    rw.put("url", url);
    if (passwordFile != null) {
      rw.putObject("basic_auth").put("username", username).put("password_file", passwordFile);
    }
    ObjectNode q = rw.putObject("queue_config");
    for (String name : DEFAULT_QUEUE.keySet()) {
      String v = queue.get(name);
      if (DURATIONS.contains(name)) {
        q.put(name, v);
      } else {
        q.put(name, Integer.parseInt(v));
      }
    }
    if (keep != null) {
      rw.putArray("write_relabel_configs").addObject()
          .put("action", "keep")
          .put("regex", keepRegex())
          .putArray("source_labels").add("__name__");
    }
    return rw;
  }

  private static Map<String, String> defaultQueue() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("capacity", "10000");
    q.put("max_shards", "10");
    q.put("min_shards", "1");
    q.put("max_samples_per_send", "2000");
    q.put("batch_send_deadline", "5s");
    q.put("min_backoff", "30ms");
    q.put("max_backoff", "5s");
    return Collections.unmodifiableMap(q);
  }
}
