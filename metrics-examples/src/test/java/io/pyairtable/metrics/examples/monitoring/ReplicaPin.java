package io.pyairtable.metrics.examples.monitoring;

import java.util.Set;

/**
 * Rewrites a PromQL expression so every selector of the given series names also matches
 * {@code label="value"} (label lists of {@code by}, {@code on}, ... left alone): a dashboard query read from a plain remote-write receiver with one replica
 * of the HA pair chosen ({@code up{job="x"}} becomes {@code up{replica="a",job="x"}}).
 */
final class ReplicaPin {

  private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private ReplicaPin() {}

  static String pin(String expr, Set<String> seriesNames, String label, String value) {
    String matcher = label + "=\"" + value + "\"";
    StringBuilder out = new StringBuilder();
    int depth = 0;
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"') {
        int end = i + 1;
        while (expr.charAt(end) != '"') {
          end += expr.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(expr, i, end + 1);
        i = end + 1;
        continue;
      }
      boolean startsName = (Character.isLetter(c) || c == '_' || c == ':')
          && (i == 0 || !(Character.isLetterOrDigit(expr.charAt(i - 1)) || "_.:".indexOf(expr.charAt(i - 1)) >= 0));
      if (startsName && depth == 0) {
        int end = i;
        while (end < expr.length() && (Character.isLetterOrDigit(expr.charAt(end)) || "_:".indexOf(expr.charAt(end)) >= 0)) {
          end++;
        }
        String name = expr.substring(i, end);
        int next = end;
        while (next < expr.length() && Character.isWhitespace(expr.charAt(next))) {
          next++;
        }
        boolean function = next < expr.length() && expr.charAt(next) == '(';
        if (function && GROUPING.contains(name)) {
          int close = expr.indexOf(')', next);
          out.append(expr, i, close + 1);
          i = close + 1;
          continue;
        }
        out.append(name);
        if (seriesNames.contains(name) && !function) {
          if (next < expr.length() && expr.charAt(next) == '{') {
            out.append('{').append(matcher).append(',');
            depth++;
            i = next + 1;
          } else {
            out.append('{').append(matcher).append('}');
            i = end;
          }
        } else {
          i = end;
        }
        continue;
      }
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
