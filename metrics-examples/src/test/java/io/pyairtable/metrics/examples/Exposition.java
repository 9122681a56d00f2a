package io.pyairtable.metrics.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Prometheus text exposition (format 0.0.4): every sample line with its name, labels and
 * value, for tests that assert on what a {@code /metrics} endpoint or {@code exportMetrics()}
 * served. A sample matches when its name is equal and it carries every given label with the given
 * value (other labels, such as {@code service}, are ignored); labels are given as a map or as
 * {@code "k1", "v1", "k2", "v2"} pairs. A line that is neither a comment nor a sample fails the parse.
 *
 * <pre>{@code
 * Exposition e = Exposition.parse(httpGet(base + "/metrics"));
 * double lists = e.sum(AIRTABLE_API_REQUESTS_TOTAL.name(), Map.of("operation", "list"));
 * double ok = Exposition.parse(collector.exportMetrics()).value(GEMINI_REQUESTS_TOTAL.name(), "status_code", "200");
 * }</pre>
 */
public final class Exposition {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;

  private Exposition(List<Sample> samples) {
    this.samples = samples;
  }

  public static Exposition parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Exposition(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of series {@code name} whose labels include {@code labels}. */
  public List<Sample> matching(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name))
        .filter(s -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
        .toList();
  }

  /** The sum of the values of {@link #matching}. */
  public double sum(String name, Map<String, String> labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The samples of series {@code name} carrying the given label pairs ({@code "k1", "v1", ...}). */
  public List<Sample> find(String name, String... labelPairs) {
    return matching(name, labels(labelPairs));
  }

  /** The one matching sample's value; fails when none or several match. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
    }
    return found.get(0).value();
  }

  /** The sum over the samples {@link #find} returns (0 when none). */
  public double sum(String name, String... labelPairs) {
    return sum(name, labels(labelPairs));
  }

  private static Map<String, String> labels(String[] pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("label pairs come in twos: " + List.of(pairs));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      labels.put(pairs[i], pairs[i + 1]);
    }
    return labels;
  }

  /** True when any sample belongs to family {@code family} (the name itself, or a histogram/info part of it). */
  public boolean hasFamily(String family) {
    return samples.stream().anyMatch(s -> s.name().equals(family) || s.name().equals(family + "_bucket")
        || s.name().equals(family + "_count") || s.name().equals(family + "_sum") || s.name().equals(family + "_info"));
  }
}
