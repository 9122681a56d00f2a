package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * The order of Airtable's {@code sort} over records' field sets: field by field, each ascending or descending; empty cells
 * first when ascending, numbers by value, text case-insensitively, checkboxes unchecked first; ties
 * keep the view's (creation) order.
 *
 * <pre>{@code
 * records.sort(Comparator.comparing(r -> r.fields, RecordOrder.of(List.of(new AirtableListQuery.Sort("Status", false), new AirtableListQuery.Sort("Score", true)))));
 * }</pre>
 */
final class RecordOrder {

  private RecordOrder() {}

  /** Compares two records' {@code fields} objects by {@code sorts}; equal when every sort field ties. */
  static Comparator<ObjectNode> of(List<AirtableListQuery.Sort> sorts) {
    Comparator<ObjectNode> order = (a, b) -> 0;
    for (AirtableListQuery.Sort sort : sorts) {
      Comparator<ObjectNode> one = (a, b) -> compare(a.get(sort.field()), b.get(sort.field()));
      order = order.thenComparing(sort.descending() ? one.reversed() : one);
    }
    return order;
  }

  private static int compare(JsonNode a, JsonNode b) {
    boolean aEmpty = a == null || a.isNull();
    boolean bEmpty = b == null || b.isNull();
    if (aEmpty || bEmpty) {
      return Boolean.compare(!aEmpty, !bEmpty);
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    if (a.isBoolean() && b.isBoolean()) {
      return Boolean.compare(a.asBoolean(), b.asBoolean());
    }
    int c = String.CASE_INSENSITIVE_ORDER.compare(a.asText(), b.asText());
    return c != 0 ? c : a.asText().compareTo(b.asText());
  }
}
