package io.pyairtable.metrics.monitoring.grafana;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard in the file-provisioning format (the dashboard object itself, no
 * {@code {"dashboard": ...}} wrapper), with a stable uid, the {@code datasource}, {@code service}
 * and {@code instance} variables, and panels laid out left to right on the 24-column grid. The
 * {@code service} variable lists the monitored services ({@link #services}); without a list it
 * reads the running services from {@code service_info}.
 *
 * <pre>{@code
 * ObjectNode json = new Dashboard("pyairtable-overview", "PyAirtable Overview", "System-wide health.")
 *     .tag("pyairtable")
 *     .panel(Panel.timeseries("Request rate", "Requests per second.", "reqps").query(q))
 *     .toJson();
 * }</pre>
 */
public final class Dashboard {

  /** The name of the data source variable every panel and target reads. */
  public static final String DATASOURCE_VARIABLE = DatasourceRef.VARIABLE;

  private final String uid;
  private final String title;
  private final String description;
  private final List<String> tags = new ArrayList<>();
  private final List<Panel> panels = new ArrayList<>();
  private List<String> services;

  /**
   * @param uid the stable uid (at most 40 characters, letters, digits, {@code -} and {@code _})
   * @param title the title shown in Grafana
   * @param description what the dashboard is for
   */
  public Dashboard(String uid, String title, String description) {
    if (!uid.matches("[a-zA-Z0-9_-]{1,40}")) {
      throw new IllegalArgumentException("not a valid Grafana uid: " + uid);
    }
    this.uid = uid;
    this.title = Objects.requireNonNull(title);
    this.description = Objects.requireNonNull(description);
    tags.add("pyairtable");
  }

  /** The options of the {@code service} variable: the monitored services, in order. */
  public Dashboard services(List<String> names) {
    this.services = List.copyOf(names);
    return this;
  }

  public Dashboard tag(String tag) {
    tags.add(tag);
    return this;
  }

  public Dashboard panel(Panel panel) {
    panels.add(panel);
    return this;
  }

  public String uid() {
    return uid;
  }

  public String title() {
    return title;
  }

  /** The file name used on export: {@code <uid>.json}. */
  public String fileName() {
    return uid + ".json";
  }

  public List<Panel> panels() {
    return List.copyOf(panels);
  }

  /** The provisioning JSON. Panels flow left to right and wrap at 24 columns. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode d = f.objectNode();
    d.put("uid", uid);
    d.put("title", title);
    d.put("description", description);
    ArrayNode tagArray = d.putArray("tags");
    tags.forEach(tagArray::add);
    d.put("timezone", "browser");
    d.put("editable", true);
    d.put("graphTooltip", 1);
    d.put("schemaVersion", 39);
    d.put("version", 1);
    d.put("refresh", "30s");
    d.putObject("time").put("from", "now-1h").put("to", "now");
    d.putObject("annotations").putArray("list");
    d.putArray("links");
    ArrayNode variables = d.putObject("templating").putArray("list");
    variables.add(datasourceVariable());
    String serviceInfo = MetricCatalog.SERVICE_INFO.name();
    variables.add(services == null
        ? queryVariable("service", "Service", "label_values(" + serviceInfo + ", service)")
        : customVariable("service", "Service", services));
    String scoped = Selector.of(MetricCatalog.SERVICE_INFO).and(Matcher.regex("service", "$service")).toString();
    variables.add(queryVariable("instance", "Instance", "label_values(" + scoped + ", instance)"));

    ArrayNode panelArray = d.putArray("panels");
    int x = 0;
    int y = 0;
    int rowHeight = 0;
    int id = 1;
    for (Panel p : panels) {
      if (x + p.width() > Panel.GRID_COLUMNS) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panelArray.add(p.toJson(id++, x, y));
      x += p.width();
      rowHeight = Math.max(rowHeight, p.height());
    }
    return d;
  }

  private static ObjectNode datasourceVariable() {
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    v.put("name", DATASOURCE_VARIABLE);
    v.put("label", "Data source");
    v.put("type", "datasource");
    v.put("query", "prometheus");
    v.put("regex", "");
    v.put("hide", 0);
    v.put("refresh", 1);
    v.put("includeAll", false);
    v.put("multi", false);
    v.putObject("current");
    v.putArray("options");
    return v;
  }

  private static ObjectNode customVariable(String name, String label, List<String> values) {
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    v.put("name", name);
    v.put("label", label);
    v.put("type", "custom");
    v.put("query", String.join(",", values));
    v.put("includeAll", true);
    v.put("multi", true);
    v.put("allValue", ".*");
    v.put("hide", 0);
    ObjectNode current = v.putObject("current");
    current.putArray("text").add("All");
    current.putArray("value").add("$__all");
    ArrayNode options = v.putArray("options");
    options.addObject().put("selected", true).put("text", "All").put("value", "$__all");
    for (String s : values) {
      options.addObject().put("selected", false).put("text", s).put("value", s);
    }
    return v;
  }

  private static ObjectNode queryVariable(String name, String label, String query) {
    ObjectNode v = JsonNodeFactory.instance.objectNode();
    v.put("name", name);
    v.put("label", label);
    v.put("type", "query");
    v.set("datasource", DatasourceRef.json());
    v.put("definition", query);
    v.putObject("query").put("query", query).put("refId", name);
    v.put("refresh", 2);
    v.put("sort", 1);
    v.put("includeAll", true);
    v.put("multi", true);
    v.put("allValue", ".*");
    v.put("regex", "");
    v.put("hide", 0);
    ObjectNode current = v.putObject("current");
    current.putArray("text").add("All");
    current.putArray("value").add("$__all");
    v.putArray("options");
    return v;
  }
}
