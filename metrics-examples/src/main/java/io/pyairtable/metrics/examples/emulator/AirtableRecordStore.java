package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.examples.airtable.AirtableRefusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory bases, tables and records behind {@link AirtableEmulator}. Ids follow Airtable's
 * format (a 3-letter prefix plus 14 alphanumerics); list calls filter, sort and page with Airtable's
 * {@code itr.../rec...} offset tokens; each table knows its fields ({@link AirtableFields}) and has
 * one view. Errors are thrown as {@link AirtableRefusal}.
 *
 * <pre>{@code
 * AirtableRecordStore store = new AirtableRecordStore(new Random(7));
 * store.createTable("appAAAAAAAAAAAAAA", "Users");
 * store.seed("appAAAAAAAAAAAAAA", "Users", fields);
 * AirtableRecordStore.Page page = store.list("appAAAAAAAAAAAAAA", "Users", query);
 * }</pre>
 */
final class AirtableRecordStore {

  /** One page of a list call: the records and the offset of the next page (null on the last). */
  record Page(List<ObjectNode> records, String offset) {}

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern EQUALS_FORMULA = Pattern.compile("\\{([^}]+)}\\s*=\\s*'([^']*)'");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Random random;
  private final Map<String, Map<String, Table>> bases = new ConcurrentHashMap<>();

  AirtableRecordStore(Random random) {
    this.random = random;
  }

  /** A new Airtable id: {@code prefix} plus 14 alphanumerics. */
  String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    synchronized (random) {
      for (int i = 0; i < 14; i++) {
        id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
      }
    }
    return id.toString();
  }

  /** Creates a table (and its base if new); returns the table id. Idempotent by name. */
  String createTable(String baseId, String tableName) {
    Map<String, Table> tables = bases.computeIfAbsent(baseId, b -> new ConcurrentHashMap<>());
    synchronized (tables) {
      for (Table t : tables.values()) {
        if (t.name.equals(tableName)) {
          return t.id;
        }
      }
      Table table = new Table(newId("tbl"), tableName);
      tables.put(table.id, table);
      return table.id;
    }
  }

  boolean hasBase(String baseId) {
    return bases.containsKey(baseId);
  }

  /** The tables of a base (for the metadata endpoint). */
  Collection<Table> tables(String baseId) {
    Map<String, Table> tables = bases.get(baseId);
    if (tables == null) {
      throw new AirtableRefusal(404, "NOT_FOUND", "Could not find base " + baseId);
    }
    return List.copyOf(tables.values());
  }

  Table table(String baseId, String tableIdOrName) {
    Map<String, Table> tables = bases.get(baseId);
    if (tables == null) {
      throw new AirtableRefusal(404, "NOT_FOUND", "Could not find base " + baseId);
    }
    Table byId = tables.get(tableIdOrName);
    if (byId != null) {
      return byId;
    }
    for (Table t : tables.values()) {
      if (t.name.equals(tableIdOrName)) {
        return t;
      }
    }
    throw new AirtableRefusal(404, "TABLE_NOT_FOUND",
        "Could not find table " + tableIdOrName + " in application " + baseId);
  }

  /**
   * One page of a list call: the records {@code q}'s view, filter and sort select, from its offset.
   * Field names in {@code fields}, {@code sort} and the formula must exist (422
   * {@code UNKNOWN_FIELD_NAME} / {@code INVALID_FILTER_BY_FORMULA}), the view too (422
   * {@code VIEW_NAME_NOT_FOUND}).
   */
  Page list(String baseId, String tableIdOrName, AirtableListQuery q) {
    if (q.pageSize() < 1 || q.pageSize() > 100) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. pageSize must be between 1 and 100");
    }
    Table table = table(baseId, tableIdOrName);
    q.fields().forEach(table.fields::requireKnown);
    q.sort().forEach(sort -> table.fields.requireKnown(sort.field()));
    if (q.view() != null && !q.view().equals(table.viewId) && !q.view().equals(Table.VIEW_NAME)) {
      throw new AirtableRefusal(422, "VIEW_NAME_NOT_FOUND", "Could not find view \"" + q.view() + "\" in table");
    }
    synchronized (table) {
      List<StoredRecord> all = new ArrayList<>(table.records.values());
      if (q.filterByFormula() != null && !q.filterByFormula().isBlank()) {
        all = filter(all, q.filterByFormula(), table.fields);
      }
      if (!q.sort().isEmpty()) {
        all.sort(Comparator.comparing((StoredRecord r) -> r.fields, RecordOrder.of(q.sort())));
      }
      int start = q.offset() == null ? 0 : startOf(all, q.offset());
      int limit = q.maxRecords() > 0 ? Math.min(all.size(), q.maxRecords()) : all.size();
      int end = Math.min(limit, start + q.pageSize());
      List<ObjectNode> page = new ArrayList<>(Math.max(0, end - start));
      for (int i = start; i < end; i++) {
        page.add(all.get(i).toJson(q.fields()));
      }
      String next = end < limit ? newId("itr") + "/" + all.get(end).id : null;
      return new Page(page, next);
    }
  }

  private static int startOf(List<StoredRecord> records, String offset) {
    int slash = offset.indexOf('/');
    if (!offset.startsWith("itr") || slash < 0) {
      throw new AirtableRefusal(422, "INVALID_OFFSET_VALUE", "The value of offset " + offset + " is invalid");
    }
    String recordId = offset.substring(slash + 1);
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).id.equals(recordId)) {
        return i;
      }
    }
    throw new AirtableRefusal(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
        "The list-records iterator is no longer available; start the listing again");
  }

  private static List<StoredRecord> filter(List<StoredRecord> records, String formula, AirtableFields fields) {
    Matcher m = EQUALS_FORMULA.matcher(formula.trim());
    if (!m.matches()) {
      throw new AirtableRefusal(422, "INVALID_FILTER_BY_FORMULA",
          "The formula for filtering records is invalid: the emulator supports {Field}='value' only");
    }
    String field = m.group(1);
    if (!fields.has(field)) {
      throw new AirtableRefusal(422, "INVALID_FILTER_BY_FORMULA",
          "The formula for filtering records is invalid: Unknown field names: " + field.toLowerCase(Locale.ROOT));
    }
    String value = m.group(2);
    return records.stream().filter(r -> {
      JsonNode v = r.fields.get(field);
      return v != null && v.asText().equals(value);
    }).toList();
  }

  ObjectNode get(String baseId, String tableIdOrName, String recordId) {
    Table table = table(baseId, tableIdOrName);
    synchronized (table) {
      return find(table, recordId).toJson(List.of());
    }
  }

  /** Seeding: defines the fields {@code fields} uses, then creates the record. */
  ObjectNode seed(String baseId, String tableIdOrName, ObjectNode fields) {
    table(baseId, tableIdOrName).fields.learn(fields);
    return create(baseId, tableIdOrName, fields, false);
  }

  /** Creates a record through the API: known fields only, values of their type unless {@code typecast}. */
  ObjectNode create(String baseId, String tableIdOrName, ObjectNode fields, boolean typecast) {
    Table table = table(baseId, tableIdOrName);
    ObjectNode accepted = table.fields.accept(fields, typecast);
    synchronized (table) {
      StoredRecord record = new StoredRecord(newId("rec"), Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
          accepted);
      table.records.put(record.id, record);
      return record.toJson(List.of());
    }
  }

  /** PATCH merges {@code fields} into the record; PUT ({@code replace}) replaces them all. */
  ObjectNode update(String baseId, String tableIdOrName, String recordId, ObjectNode fields, boolean replace,
      boolean typecast) {
    Table table = table(baseId, tableIdOrName);
    ObjectNode accepted = table.fields.accept(fields, typecast);
    synchronized (table) {
      StoredRecord record = find(table, recordId);
      if (replace) {
        record.fields.removeAll();
      }
      record.fields.setAll(accepted);
      return record.toJson(List.of());
    }
  }

  ObjectNode delete(String baseId, String tableIdOrName, String recordId) {
    Table table = table(baseId, tableIdOrName);
    synchronized (table) {
      find(table, recordId);
      table.records.remove(recordId);
      ObjectNode deleted = JSON.objectNode();
      deleted.put("id", recordId);
      deleted.put("deleted", true);
      return deleted;
    }
  }

  int size(String baseId, String tableIdOrName) {
    Table table = table(baseId, tableIdOrName);
    synchronized (table) {
      return table.records.size();
    }
  }

  private static StoredRecord find(Table table, String recordId) {
    StoredRecord record = table.records.get(recordId);
    if (record == null) {
      throw new AirtableRefusal(404, "MODEL_ID_NOT_FOUND", "Could not find a record with ID \"" + recordId + "\"");
    }
    return record;
  }

  /** One table: id, name, fields, its one view ({@value #VIEW_NAME}) and records in creation order. */
  final class Table {
    static final String VIEW_NAME = "Grid view";
    final String id;
    final String name;
    final String viewId = newId("viw");
    final AirtableFields fields = new AirtableFields();
    final LinkedHashMap<String, StoredRecord> records = new LinkedHashMap<>();

    Table(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** One record: its id, creation time and (mutable) fields. */
  record StoredRecord(String id, String createdTime, ObjectNode fields) {

    ObjectNode toJson(List<String> onlyFields) {
      ObjectNode json = JSON.objectNode();
      json.put("id", id);
      json.put("createdTime", createdTime);
      if (onlyFields.isEmpty()) {
        json.set("fields", fields.deepCopy());
      } else {
        ObjectNode selected = json.putObject("fields");
        for (String f : onlyFields) {
          if (fields.has(f)) {
            selected.set(f, fields.get(f).deepCopy());
          }
        }
      }
      return json;
    }
  }
}
