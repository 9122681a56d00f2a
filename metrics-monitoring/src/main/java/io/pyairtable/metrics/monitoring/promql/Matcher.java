package io.pyairtable.metrics.monitoring.promql;

import java.util.Objects;

/**
 * One PromQL label matcher ({@code label="v"}, {@code label=~"re"}, {@code label!="v"}, {@code label!~"re"}).
 *
 * <pre>{@code
 * Matcher fiveXx = Matcher.regex("status_code", "5..");
 * String text = fiveXx.toString(); // status_code=~"5.."
 * }</pre>
 *
 * @param label the label name
 * @param operator one of {@code =}, {@code =~}, {@code !=}, {@code !~}
 * @param value the value or regular expression, unescaped
 */
public record Matcher(String label, String operator, String value) {

  public Matcher {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
    if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      throw new IllegalArgumentException("not a label name: " + label);
    }
    if (!(operator.equals("=") || operator.equals("=~") || operator.equals("!=") || operator.equals("!~"))) {
      throw new IllegalArgumentException("not a matcher operator: " + operator);
    }
  }

  /** {@code label="value"}. */
  public static Matcher equal(String label, String value) {
    return new Matcher(label, "=", value);
  }

  /** {@code label=~"regex"}. */
  public static Matcher regex(String label, String regex) {
    return new Matcher(label, "=~", regex);
  }

  /** {@code label!="value"}. */
  public static Matcher notEqual(String label, String value) {
    return new Matcher(label, "!=", value);
  }

  /** {@code label!~"regex"}. */
  public static Matcher notRegex(String label, String regex) {
    return new Matcher(label, "!~", regex);
  }

  @Override
  public String toString() {
    return label + operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
