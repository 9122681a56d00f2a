package io.pyairtable.metrics.http.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns a raw path into an endpoint label when the framework names no route template. It works
 * on whole path segments only: a segment is replaced when a rule matches all of it, so
 * {@code /v2/items} stays as it is while {@code /items/123} becomes {@code /items/{id}}. The
 * default rules, in order: Airtable ids ({@code app}, {@code tbl}, {@code rec}, ... plus exactly
 * 14 alphanumerics), UUIDs, decimal numbers, and hex strings of 16 or more digits. Rules are
 * configurable; the query string is never part of the result.
 *
 * <pre>{@code
 * PathNormalizer n = PathNormalizer.defaults();
 * n.normalize("/bases/appAbCdEfGh123456/tables/42");   // "/bases/{baseId}/tables/{id}"
 * PathNormalizer custom = PathNormalizer.builder().withDefaults()
 *     .rule(Pattern.compile("[a-z]{2}-[A-Z]{2}"), "{locale}").build();
 * }</pre>
 */
public final class PathNormalizer {

  private static final PathNormalizer DEFAULTS = builder().withDefaults().build();

  private final List<Rule> rules;
  private final int maxSegments;

  private PathNormalizer(List<Rule> rules, int maxSegments) {
    this.rules = List.copyOf(rules);
    this.maxSegments = maxSegments;
  }

  /** The default rules. */
  public static PathNormalizer defaults() {
    return DEFAULTS;
  }

  /** A builder with no rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** The path with every segment a rule matches replaced by that rule's placeholder. */
  public String normalize(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    StringBuilder out = null;
    int start = path.charAt(0) == '/' ? 1 : 0;
    int segments = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      segments++;
      if (segments > maxSegments) {
        if (out == null) {
          out = new StringBuilder(path.length()).append(path, 0, start);
        }
        out.append("{rest}");
        return out.toString();
      }
      String replacement = end > start ? replacement(path, start, end) : null;
      if (replacement != null && out == null) {
        out = new StringBuilder(path.length()).append(path, 0, start);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(path, start, end);
        }
        if (end < path.length()) {
          out.append('/');
        }
      }
      start = end + 1;
    }
    return out == null ? path : out.toString();
  }

  private String replacement(String path, int start, int end) {
    String segment = null;
    for (Rule rule : rules) {
      if (rule.quick != null) {
        if (rule.quick.matches(path, start, end)) {
          return rule.placeholder;
        }
      } else {
        if (segment == null) {
          segment = path.substring(start, end);
        }
        if (rule.predicate.test(segment)) {
          return rule.placeholder;
        }
      }
    }
    return null;
  }

  private interface SegmentMatcher {
    boolean matches(String path, int start, int end);
  }

  private static final class Rule {
    final SegmentMatcher quick;
    final Predicate<String> predicate;
    final String placeholder;

    Rule(SegmentMatcher quick, Predicate<String> predicate, String placeholder) {
      this.quick = quick;
      this.predicate = predicate;
      this.placeholder = placeholder;
    }
  }

  private static boolean digits(String s, int start, int end) {
    if (end - start > 19) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean longHex(String s, int start, int end) {
    if (end - start < 16) {
      return false;
    }
    boolean digit = false;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (!hex(c)) {
        return false;
      }
      digit |= c <= '9';
    }
    return digit;
  }

  private static boolean uuid(String s, int start, int end) {
    if (end - start != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(start + i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
      } else if (!hex(c)) {
        return false;
      }
    }
    return true;
  }

  private static SegmentMatcher airtable(String prefix) {
    return (s, start, end) -> {
      if (end - start != 17 || !s.startsWith(prefix, start)) {
        return false;
      }
      for (int i = start + 3; i < end; i++) {
        char c = s.charAt(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
          return false;
        }
      }
      return true;
    };
  }

  /** Builds a {@link PathNormalizer}; rules are tried in the order added. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private int maxSegments = 16;

    private Builder() {}

    /** Adds the default rules: Airtable ids, UUIDs, numbers, long hex. */
    public Builder withDefaults() {
      airtableId("app", "{baseId}");
      airtableId("tbl", "{tableId}");
      airtableId("rec", "{recordId}");
      airtableId("fld", "{fieldId}");
      airtableId("viw", "{viewId}");
      airtableId("usr", "{userId}");
      airtableId("wsp", "{workspaceId}");
      airtableId("ach", "{webhookId}");
      rules.add(new Rule(PathNormalizer::uuid, null, "{uuid}"));
      rules.add(new Rule(PathNormalizer::digits, null, "{id}"));
      rules.add(new Rule(PathNormalizer::longHex, null, "{hex}"));
      return this;
    }

    /** Segments of a 3-letter Airtable prefix plus exactly 14 alphanumerics become {@code placeholder}. */
    public Builder airtableId(String prefix, String placeholder) {
      if (prefix.length() != 3) {
        throw new IllegalArgumentException("Airtable id prefixes have 3 letters, got " + prefix);
      }
      rules.add(new Rule(airtable(prefix), null, Objects.requireNonNull(placeholder)));
      return this;
    }

    /** Segments matching {@code pattern} entirely become {@code placeholder}. */
    public Builder rule(Pattern pattern, String placeholder) {
      Objects.requireNonNull(pattern, "pattern");
      return rule(s -> pattern.matcher(s).matches(), placeholder);
    }

    /** Segments the predicate accepts become {@code placeholder}. */
    public Builder rule(Predicate<String> segment, String placeholder) {
      rules.add(new Rule(null, Objects.requireNonNull(segment), Objects.requireNonNull(placeholder)));
      return this;
    }

    /** Segments past this count collapse into one {@code {rest}} segment (default 16). */
    public Builder maxSegments(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxSegments must be at least 1");
      }
      this.maxSegments = max;
      return this;
    }

    public PathNormalizer build() {
      return new PathNormalizer(rules, maxSegments);
    }
  }
}
