package io.pyairtable.metrics.benchmarks.rounds;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} arguments of the paired harnesses' {@code main}: each key must be one of
 * the harness's own, whose defaults it overrides; anything else is refused with the keys it takes.
 *
 * <pre>{@code
 * Map<String, String> o = HarnessOptions.parse(args, "rounds", "5", "rate", "50000");
 * int rounds = Integer.parseInt(o.get("rounds"));
 * }</pre>
 */
public final class HarnessOptions {

  private HarnessOptions() {}

  /**
   * The harness's keys with their defaults ({@code keysAndDefaults}: key, default, key, default, …,
   * in the order the refusal lists them), with the values {@code args} give; an argument without
   * {@code =} or with another key is refused.
   */
  public static Map<String, String> parse(String[] args, String... keysAndDefaults) {
    if (keysAndDefaults.length % 2 != 0) {
      throw new IllegalArgumentException("keys and defaults come in pairs, got " + keysAndDefaults.length + " strings");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < keysAndDefaults.length; i += 2) {
      options.put(keysAndDefaults[i], keysAndDefaults[i + 1]);
    }
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0 || !options.containsKey(arg.substring(0, eq))) {
        throw new IllegalArgumentException("arguments are key=value with keys " + options.keySet() + ", got " + arg);
      }
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return options;
  }
}
