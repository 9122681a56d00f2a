package io.pyairtable.metrics.monitoring.grafana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One dashboard panel: type, title, description, unit, size and its Prometheus queries. Every panel
 * has a unit and a description (the builder refuses blank ones) and reads the dashboard's
 * {@code datasource} variable.
 *
 * <pre>{@code
 * Panel p = Panel.timeseries("Request rate", "Requests per second by service.", "reqps")
 *     .query(Query.range(expr, "{{service}}"))
 *     .width(12);
 * }</pre>
 */
public final class Panel {

  /** Grafana's grid is 24 columns wide. */
  public static final int GRID_COLUMNS = 24;

  private final String type;
  private final String title;
  private final String description;
  private final String unit;
  private final List<Query> queries = new ArrayList<>();
  private int width = 12;
  private int height = 8;
  private Double min;
  private Double max;
  private final List<double[]> thresholds = new ArrayList<>();

  private Panel(String type, String title, String description, String unit) {
    this.type = Objects.requireNonNull(type);
    this.title = requireText(title, "title");
    this.description = requireText(description, "description of " + title);
    this.unit = requireText(unit, "unit of " + title);
  }

  /** A time series panel. */
  public static Panel timeseries(String title, String description, String unit) {
    return new Panel("timeseries", title, description, unit);
  }

  /** A single-value panel showing the last value. */
  public static Panel stat(String title, String description, String unit) {
    return new Panel("stat", title, description, unit).width(6).height(4);
  }

  /** A gauge panel showing the last value between min and max. */
  public static Panel gauge(String title, String description, String unit) {
    return new Panel("gauge", title, description, unit).width(6).height(6);
  }

  /** A table of instant query results. */
  public static Panel table(String title, String description, String unit) {
    return new Panel("table", title, description, unit);
  }

  /** Adds a query; refIds A, B, ... follow the order of calls. */
  public Panel query(Query query) {
    queries.add(query);
    return this;
  }

  /** Columns, 1 to 24. */
  public Panel width(int columns) {
    if (columns < 1 || columns > GRID_COLUMNS) {
      throw new IllegalArgumentException("panel width must be 1.." + GRID_COLUMNS + ": " + columns);
    }
    this.width = columns;
    return this;
  }

  /** Rows of 30 px. */
  public Panel height(int rows) {
    this.height = rows;
    return this;
  }

  /** Fixed axis or gauge range. */
  public Panel range(double lower, double upper) {
    this.min = lower;
    this.max = upper;
    return this;
  }

  /** A colour step: from {@code value} up the colour is {@code color} (green, orange, red). */
  public Panel threshold(double value, String color) {
    thresholds.add(new double[] {value, colorIndex(color)});
    return this;
  }

  public String title() {
    return title;
  }

  public List<Query> queries() {
    return List.copyOf(queries);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  ObjectNode toJson(int id, int x, int y) {
    if (queries.isEmpty()) {
      throw new IllegalStateException("panel " + title + " has no query");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode p = f.objectNode();
    p.put("id", id);
    p.put("type", type);
    p.put("title", title);
    p.put("description", description);
    p.set("datasource", DatasourceRef.json());
    ObjectNode grid = p.putObject("gridPos");
    grid.put("h", height).put("w", width).put("x", x).put("y", y);

    ObjectNode fieldConfig = p.putObject("fieldConfig");
    ObjectNode defaults = fieldConfig.putObject("defaults");
    defaults.put("unit", unit);
    if (min != null) {
      defaults.put("min", min);
      defaults.put("max", max);
    }
    ObjectNode th = defaults.putObject("thresholds");
    th.put("mode", "absolute");
    ArrayNode steps = th.putArray("steps");
    steps.addObject().put("color", "green").putNull("value");
    for (double[] t : thresholds) {
      steps.addObject().put("color", COLORS[(int) t[1]]).put("value", t[0]);
    }
    fieldConfig.putArray("overrides");

    ObjectNode options = p.putObject("options");
    switch (type) {
      case "timeseries" -> {
        options.putObject("legend").put("displayMode", "list").put("placement", "bottom").put("showLegend", true);
        options.putObject("tooltip").put("mode", "multi").put("sort", "desc");
      }
      case "stat", "gauge" -> {
        ObjectNode reduce = options.putObject("reduceOptions");
        reduce.putArray("calcs").add("lastNotNull");
        reduce.put("fields", "").put("values", false);
      }
      case "table" -> options.put("showHeader", true);
      default -> { }
    }
    ArrayNode targets = p.putArray("targets");
    for (int i = 0; i < queries.size(); i++) {
      targets.add(queries.get(i).toJson(String.valueOf((char) ('A' + i))));
    }
    if (type.equals("table")) {
      p.putArray("transformations").addObject().put("id", "merge").putObject("options");
    }
    return p;
  }

  private static final String[] COLORS = {"green", "orange", "red"};

  private static int colorIndex(String color) {
    for (int i = 0; i < COLORS.length; i++) {
      if (COLORS[i].equals(color)) {
        return i;
      }
    }
    throw new IllegalArgumentException("colour must be one of green, orange, red: " + color);
  }

  private static String requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("a panel needs a " + what);
    }
    return s;
  }
}
