package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.pyairtable.metrics.examples.airtable.AirtableRefusal;
import java.io.IOException;
import java.util.List;

/**
 * The request handlers of {@link AirtableEmulator}'s record routes: they parse and validate the
 * request as Airtable does, call the {@link AirtableRecordStore} and write Airtable's response shapes.
 *
 * <pre>{@code
 * AirtableRoutes routes = new AirtableRoutes(store);
 * config.routes.get("/v0/{baseId}/{table}", routes::listRecords);
 * }</pre>
 */
final class AirtableRoutes {

  static final ObjectMapper MAPPER = LoopbackEmulator.MAPPER;
  private static final int MAX_BATCH = 10;

  private final AirtableRecordStore store;

  AirtableRoutes(AirtableRecordStore store) {
    this.store = store;
  }

  void getRecord(Context ctx) {
    json(ctx, 200, store.get(ctx.pathParam("baseId"), ctx.pathParam("table"), ctx.pathParam("recordId")));
  }

  void deleteRecord(Context ctx) {
    json(ctx, 200, store.delete(ctx.pathParam("baseId"), ctx.pathParam("table"), ctx.pathParam("recordId")));
  }

  void describeTables(Context ctx) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode tables = body.putArray("tables");
    for (AirtableRecordStore.Table t : store.tables(ctx.pathParam("baseId"))) {
      ObjectNode table = tables.addObject();
      table.put("id", t.id);
      table.put("name", t.name);
      ArrayNode fields = table.putArray("fields");
      t.fields.names().forEach(name -> fields.addObject().put("name", name)
          .put("type", t.fields.types().get(name).airtableType));
      table.putArray("views").addObject().put("id", t.viewId).put("name", AirtableRecordStore.Table.VIEW_NAME)
          .put("type", "grid");
    }
    json(ctx, 200, body);
  }

  /** {@code GET /v0/{base}/{table}}: the list parameters in the query string. */
  void listRecords(Context ctx) {
    list(ctx, AirtableListQuery.fromQuery(ctx));
  }

  /** {@code POST /v0/{base}/{table}/listRecords}: the same parameters in a JSON body (Airtable.js uses it for long queries). */
  void listRecordsPost(Context ctx) {
    list(ctx, AirtableListQuery.fromBody(parse(ctx)));
  }

  private void list(Context ctx, AirtableListQuery query) {
    AirtableRecordStore.Page page = store.list(ctx.pathParam("baseId"), ctx.pathParam("table"), query);
    ObjectNode body = MAPPER.createObjectNode();
    body.putArray("records").addAll(page.records());
    if (page.offset() != null) {
      body.put("offset", page.offset());
    }
    json(ctx, 200, body);
  }

  void createRecords(Context ctx) {
    JsonNode body = parse(ctx);
    String base = ctx.pathParam("baseId");
    String table = ctx.pathParam("table");
    store.table(base, table);
    boolean typecast = typecast(body);
    if (body.has("records")) {
      JsonNode records = batch(body);
      AirtableRecordStore.Table t = store.table(base, table);
      for (JsonNode r : records) {
        t.fields.accept(fieldsOf(r), typecast); // all or nothing: every record is checked before any is created
      }
      ObjectNode out = MAPPER.createObjectNode();
      ArrayNode created = out.putArray("records");
      for (JsonNode r : records) {
        created.add(store.create(base, table, fieldsOf(r), typecast));
      }
      json(ctx, 200, out);
    } else {
      json(ctx, 200, store.create(base, table, fieldsOf(body), typecast));
    }
  }

  void updateRecords(Context ctx, boolean replace) {
    JsonNode body = parse(ctx);
    boolean typecast = typecast(body);
    JsonNode records = batch(body);
    String base = ctx.pathParam("baseId");
    String table = ctx.pathParam("table");
    for (JsonNode r : records) {
      if (!r.path("id").isTextual()) {
        throw new AirtableRefusal(422, "INVALID_REQUEST_MISSING_FIELDS",
            "Could not find field \"id\" in the request body");
      }
      store.get(base, table, r.get("id").asText());
      store.table(base, table).fields.accept(fieldsOf(r), typecast);
    }
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode updated = out.putArray("records");
    for (JsonNode r : records) {
      updated.add(store.update(base, table, r.get("id").asText(), fieldsOf(r), replace, typecast));
    }
    json(ctx, 200, out);
  }

  void updateRecord(Context ctx, boolean replace) {
    JsonNode body = parse(ctx);
    json(ctx, 200, store.update(ctx.pathParam("baseId"), ctx.pathParam("table"), ctx.pathParam("recordId"),
        fieldsOf(body), replace, typecast(body)));
  }

  void deleteRecords(Context ctx) {
    List<String> ids = ctx.queryParams("records[]");
    if (ids.isEmpty() || ids.size() > MAX_BATCH) {
      throw new AirtableRefusal(422, "INVALID_RECORDS",
          "Give between 1 and " + MAX_BATCH + " record ids as records[] to delete");
    }
    String base = ctx.pathParam("baseId");
    String table = ctx.pathParam("table");
    for (String id : ids) {
      store.get(base, table, id);
    }
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode deleted = out.putArray("records");
    for (String id : ids) {
      deleted.add(store.delete(base, table, id));
    }
    json(ctx, 200, out);
  }

  static JsonNode batch(JsonNode body) {
    JsonNode records = body.get("records");
    if (records == null || !records.isArray()) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_MISSING_FIELDS",
          "Could not find field \"records\" in the request body");
    }
    if (records.isEmpty() || records.size() > MAX_BATCH) {
      throw new AirtableRefusal(422, "INVALID_RECORDS",
          "You can send between 1 and " + MAX_BATCH + " records per request, got " + records.size());
    }
    return records;
  }

  static ObjectNode fieldsOf(JsonNode body) {
    JsonNode fields = body.get("fields");
    if (fields == null) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_MISSING_FIELDS",
          "Could not find field \"fields\" in the request body");
    }
    if (!fields.isObject()) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. Check your request data.");
    }
    return (ObjectNode) fields;
  }

  static JsonNode parse(Context ctx) {
    try {
      JsonNode body = MAPPER.readTree(ctx.bodyAsBytes());
      if (body == null || !body.isObject()) {
        throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
            "Invalid request: parameter validation failed. Check your request data.");
      }
      return body;
    } catch (IOException e) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: the body is not valid JSON");
    }
  }

  /** Airtable's {@code "typecast": true}: convert values to the fields' types instead of refusing them. */
  static boolean typecast(JsonNode body) {
    JsonNode t = body.get("typecast");
    if (t != null && !t.isBoolean()) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. Check your request data.");
    }
    return t != null && t.asBoolean();
  }

  static void error(Context ctx, AirtableRefusal e) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("type", e.type());
    error.put("message", e.getMessage());
    json(ctx, e.status(), body);
  }

  static void json(Context ctx, int status, JsonNode body) {
    LoopbackEmulator.json(ctx, status, body);
  }

}
