package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * The order of Airtable's {@code sort}: field by field, each ascending or descending; empty cells
 * first when ascending, numbers by value, text case-insensitively, checkboxes unchecked first; ties
 * keep the view's (creation) order.
 *
 * <pre>{@code
 * records.sort(RecordOrder.of(List.of(new AirtableListQuery.Sort("Status", false), new AirtableListQuery.Sort("Score", true))));
 * }</pre>
 */
final class RecordOrder {

  private RecordOrder() {}

  static Comparator<AirtableRecordStore.StoredRecord> of(List<AirtableListQuery.Sort> sorts) {
    Comparator<AirtableRecordStore.StoredRecord> order = (a, b) -> 0;
    for (AirtableListQuery.Sort sort : sorts) {
      Comparator<AirtableRecordStore.StoredRecord> one = (a, b) -> compare(a.fields.get(sort.field()),
          b.fields.get(sort.field()));
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
