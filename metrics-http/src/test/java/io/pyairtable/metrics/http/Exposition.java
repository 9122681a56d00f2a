package io.pyairtable.metrics.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses Prometheus text exposition lines, for exact assertions on samples. */
public final class Exposition {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  public Exposition(String text) {
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parse(line));
    }
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Samples of {@code name} whose labels include all the given name/value pairs. */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name.equals(name)) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        if (!labelPairs[i + 1].equals(s.labels.get(labelPairs[i]))) {
          ok = false;
          break;
        }
      }
      if (ok) {
        out.add(s);
      }
    }
    return out;
  }

  /** The value of the one sample of {@code name} with these labels, or 0 when there is none. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() > 1) {
      throw new AssertionError("more than one sample of " + name + " matches " + List.of(labelPairs) + ": " + found);
    }
    return found.isEmpty() ? 0 : found.get(0).value;
  }

  private static Sample parse(String line) {
    int brace = line.indexOf('{');
    int space;
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    if (brace >= 0 && brace < line.indexOf(' ')) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      space = line.indexOf(' ', i);
    } else {
      space = line.indexOf(' ');
      name = line.substring(0, space);
    }
    String rest = line.substring(space + 1).trim();
    int sp = rest.indexOf(' ');
    String v = sp >= 0 ? rest.substring(0, sp) : rest;
    return new Sample(name, labels, v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
  }
}
