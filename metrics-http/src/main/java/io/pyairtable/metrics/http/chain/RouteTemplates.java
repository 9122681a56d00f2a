package io.pyairtable.metrics.http.chain;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of route templates matched against paths segment by segment: {@code {name}} or
 * {@code :name} matches one segment, a trailing {@code *} or {@code {name...}} matches the rest.
 * The first matching template wins.
 *
 * <pre>{@code
 * RouteTemplates routes = new RouteTemplates(List.of("/items/{id}", "/files/*"));
 * routes.match("/items/123");      // "/items/{id}"
 * routes.match("/nope");           // null
 * }</pre>
 */
final class RouteTemplates {

  private final List<String> templates;
  private final List<String[]> segments = new ArrayList<>();

  public RouteTemplates(List<String> templates) {
    this.templates = List.copyOf(templates);
    for (String t : this.templates) {
      segments.add(split(t));
    }
  }

  /** True when no template is configured. */
  public boolean isEmpty() {
    return templates.isEmpty();
  }

  /** The first template matching {@code path}, or null. */
  public String match(String path) {
    String[] parts = split(path);
    for (int i = 0; i < segments.size(); i++) {
      if (matches(segments.get(i), parts)) {
        return templates.get(i);
      }
    }
    return null;
  }

  private static boolean matches(String[] template, String[] path) {
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      boolean rest = t.equals("*") || (t.startsWith("{") && t.endsWith("...}"));
      if (rest && i == template.length - 1) {
        return true;
      }
      if (i >= path.length) {
        return false;
      }
      boolean param = (t.startsWith("{") && t.endsWith("}")) || t.startsWith(":") || (t.startsWith("<") && t.endsWith(">"));
      if (!param && !t.equals(path[i])) {
        return false;
      }
    }
    return template.length == path.length;
  }

  private static String[] split(String path) {
    int q = path.indexOf('?');
    String p = q >= 0 ? path.substring(0, q) : path;
    List<String> out = new ArrayList<>();
    for (String s : p.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out.toArray(String[]::new);
  }
}
