package io.pyairtable.metrics.monitoring.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long a README alert's condition must hold before it fires ({@code for}), and how
 * Alertmanager batches and repeats notifications ({@code group_wait}, {@code group_interval},
 * {@code repeat_interval}). {@link #production()} is what an on-call team wants; a demo or a test
 * exports short ones ({@link #withAllFor}) so an alert fires and resolves within minutes.
 *
 * <pre>{@code
 * AlertTiming fast = AlertTiming.production().withAllFor("10s").groupWait("1s").groupInterval("5s");
 * }</pre>
 *
 * @param forDurations alert name to {@code for} duration, for the six README alerts
 * @param groupWait wait before the first notification of a new group
 * @param groupInterval wait before notifying about changes in a group
 * @param repeatInterval wait before repeating an unchanged warning notification
 * @param criticalRepeatInterval the same for critical alerts
 */
public record AlertTiming(Map<String, String> forDurations, String groupWait, String groupInterval,
    String repeatInterval, String criticalRepeatInterval) {

  private static final String DURATION = "([0-9]+(ms|s|m|h|d|w|y))+";

  public AlertTiming {
    forDurations = Map.copyOf(forDurations);
    for (Map.Entry<String, String> e : forDurations.entrySet()) {
      requireDuration(e.getValue(), "for of " + e.getKey());
    }
    requireDuration(groupWait, "group_wait");
    requireDuration(groupInterval, "group_interval");
    requireDuration(repeatInterval, "repeat_interval");
    requireDuration(criticalRepeatInterval, "repeat_interval of critical alerts");
  }

  /** ServiceDown 1m, HighErrorRate 5m, HighLatency 5m, AirtableRateLimitHit 1m, CircuitBreakerOpen 1m, LowCacheHitRatio 10m; 30s / 5m / 4h (critical 1h). */
  public static AlertTiming production() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ServiceDown", "1m");
    f.put("HighErrorRate", "5m");
    f.put("HighLatency", "5m");
    f.put("AirtableRateLimitHit", "1m");
    f.put("CircuitBreakerOpen", "1m");
    f.put("LowCacheHitRatio", "10m");
    return new AlertTiming(f, "30s", "5m", "4h", "1h");
  }

  /** The {@code for} of an alert. */
  public String forOf(String alertName) {
    String d = forDurations.get(alertName);
    if (d == null) {
      throw new IllegalArgumentException("no for duration for " + alertName);
    }
    return d;
  }

  /** The same with one alert's {@code for} replaced. */
  public AlertTiming withFor(String alertName, String duration) {
    if (!forDurations.containsKey(alertName)) {
      throw new IllegalArgumentException("unknown alert " + alertName + "; known: " + forDurations.keySet());
    }
    Map<String, String> f = new LinkedHashMap<>(forDurations);
    f.put(alertName, duration);
    return new AlertTiming(f, groupWait, groupInterval, repeatInterval, criticalRepeatInterval);
  }

  /** The same with every alert's {@code for} replaced. */
  public AlertTiming withAllFor(String duration) {
    Map<String, String> f = new LinkedHashMap<>();
    forDurations.keySet().forEach(k -> f.put(k, duration));
    return new AlertTiming(f, groupWait, groupInterval, repeatInterval, criticalRepeatInterval);
  }

  public AlertTiming groupWait(String d) {
    return new AlertTiming(forDurations, d, groupInterval, repeatInterval, criticalRepeatInterval);
  }

  public AlertTiming groupInterval(String d) {
    return new AlertTiming(forDurations, groupWait, d, repeatInterval, criticalRepeatInterval);
  }

  /** Sets the repeat interval of warnings and critical alerts alike. */
  public AlertTiming repeatInterval(String d) {
    return new AlertTiming(forDurations, groupWait, groupInterval, d, d);
  }

  private static void requireDuration(String d, String what) {
    Objects.requireNonNull(d, what);
    if (!d.matches(DURATION)) {
      throw new IllegalArgumentException(what + " is not a Prometheus duration (30s, 5m, 1h): " + d);
    }
  }
}
