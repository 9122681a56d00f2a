package io.pyairtable.metrics.integrations.testing;

import io.pyairtable.metrics.MetricsCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sample values out of a collector's Prometheus text exposition, the way a scrape sees them.
 *
 * <pre>{@code
 * double n = Exposition.of(metrics).value("redis_operations_total", "operation", "GET", "result", "success");
 * }</pre>
 */
public final class Exposition {

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One exposed sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples = new ArrayList<>();

  private Exposition(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
  }

  public static Exposition of(MetricsCollector collector) {
    return new Exposition(collector.exportMetrics());
  }

  public String text() {
    return text;
  }

  /** The value of the one sample with {@code name} whose labels include the given pairs, if exposed. */
  public OptionalDouble find(String name, String... labelPairs) {
    List<Sample> found = matching(name, labelPairs);
    if (found.size() > 1) {
      throw new AssertionError("more than one sample " + name + " " + List.of(labelPairs) + ": " + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  /** The value of the sample; fails when it is not exposed. */
  public double value(String name, String... labelPairs) {
    return find(name, labelPairs).orElseThrow(() -> new AssertionError(
        "no sample " + name + " " + List.of(labelPairs) + " in\n" + text));
  }

  /** Every sample with {@code name} whose labels include the given pairs. */
  public List<Sample> matching(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
          all = false;
          break;
        }
      }
      if (all) {
        out.add(s);
      }
    }
    return out;
  }
}
