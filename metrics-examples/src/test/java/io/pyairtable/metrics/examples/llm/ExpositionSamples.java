package io.pyairtable.metrics.examples.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sample values out of a Prometheus text exposition: a sample matches when its name is
 * equal and it carries every given label with the given value (other labels, such as
 * {@code service}, are ignored).
 *
 * <pre>{@code
 * ExpositionSamples samples = ExpositionSamples.parse(collector.exportMetrics());
 * double n = samples.value("gemini_requests_total", "status_code", "200");
 * }</pre>
 */
public final class ExpositionSamples {

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private ExpositionSamples(List<Sample> samples) {
    this.samples = samples;
  }

  public static ExpositionSamples parse(String exposition) {
    List<Sample> out = new ArrayList<>();
    for (String line : exposition.split("\n")) {
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
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new ExpositionSamples(out);
  }

  /** The samples of {@code name} carrying the given label pairs ({@code "k1", "v1", "k2", "v2"}). */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && carries(s, labelPairs)) {
        found.add(s);
      }
    }
    return found;
  }

  /** The one sample's value; fails when none or several match. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(labelPairs) + ", found " + found);
    }
    return found.get(0).value();
  }

  /** The sum over the matching samples (0 when none). */
  public double sum(String name, String... labelPairs) {
    return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean carries(Sample s, String[] pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(s.labels().get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
