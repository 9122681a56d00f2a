package io.pyairtable.metrics.catalog;

import java.math.BigDecimal;
import java.util.stream.Collectors;

/**
 * Renders the catalogue as the Markdown table the README shows between
 * {@code <!-- catalog:start -->} and {@code <!-- catalog:end -->}. A test compares the two, so
 * the documentation cannot drift from the code; run {@code main} to print a fresh table.
 *
 * <pre>{@code
 * String table = CatalogMarkdown.table();
 * }</pre>
 */
public final class CatalogMarkdown {

  /** The marker before the generated table in README.md. */
  public static final String START = "<!-- catalog:start -->";
  /** The marker after the generated table in README.md. */
  public static final String END = "<!-- catalog:end -->";

  private CatalogMarkdown() {}

  /** The table of every family: name, type, labels, default buckets or states, group. */
  public static String table() {
    StringBuilder out = new StringBuilder();
    out.append("| family | type | labels | default buckets / states | group |\n");
    out.append("|---|---|---|---|---|\n");
    for (MetricDefinition d : MetricCatalog.all()) {
      String extra = !d.buckets().isEmpty()
          ? d.buckets().stream().map(CatalogMarkdown::number).collect(Collectors.joining(" "))
          : String.join(", ", d.states());
      out.append("| `").append(d.name()).append("` | ").append(d.type().name().toLowerCase())
          .append(" | ").append(String.join(", ", d.labelNames()))
          .append(" | ").append(extra)
          .append(" | ").append(d.group().title()).append(" |\n");
    }
    return out.toString();
  }

  private static String number(double v) {
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString().replaceFirst("^0\\.", ".");
  }

  /** Prints the table, for pasting into README.md. */
  public static void main(String[] args) {
    System.out.print(table());
  }
}
