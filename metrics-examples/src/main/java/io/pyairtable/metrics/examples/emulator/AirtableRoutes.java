package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
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

  static final ObjectMapper MAPPER = new ObjectMapper();
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
    }
    json(ctx, 200, body);
  }

  void listRecords(Context ctx) {
    int pageSize = intParam(ctx, "pageSize", 100);
    int maxRecords = intParam(ctx, "maxRecords", 0);
    List<String> fields = ctx.queryParams("fields[]");
    AirtableRecordStore.Page page = store.list(ctx.pathParam("baseId"), ctx.pathParam("table"), pageSize, maxRecords,
        ctx.queryParam("offset"), fields, ctx.queryParam("filterByFormula"));
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
    if (body.has("records")) {
      JsonNode records = batch(body);
      ObjectNode out = MAPPER.createObjectNode();
      ArrayNode created = out.putArray("records");
      for (JsonNode r : records) {
        created.add(store.create(base, table, fieldsOf(r)));
      }
      json(ctx, 200, out);
    } else {
      json(ctx, 200, store.create(base, table, fieldsOf(body)));
    }
  }

  void updateRecords(Context ctx, boolean replace) {
    JsonNode records = batch(parse(ctx));
    String base = ctx.pathParam("baseId");
    String table = ctx.pathParam("table");
    for (JsonNode r : records) {
      if (!r.path("id").isTextual()) {
        throw new AirtableException(422, "INVALID_REQUEST_MISSING_FIELDS",
            "Could not find field \"id\" in the request body");
      }
      store.get(base, table, r.get("id").asText());
    }
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode updated = out.putArray("records");
    for (JsonNode r : records) {
      updated.add(store.update(base, table, r.get("id").asText(), fieldsOf(r), replace));
    }
    json(ctx, 200, out);
  }

  void updateRecord(Context ctx, boolean replace) {
    JsonNode body = parse(ctx);
    json(ctx, 200, store.update(ctx.pathParam("baseId"), ctx.pathParam("table"), ctx.pathParam("recordId"),
        fieldsOf(body), replace));
  }

  void deleteRecords(Context ctx) {
    List<String> ids = ctx.queryParams("records[]");
    if (ids.isEmpty() || ids.size() > MAX_BATCH) {
      throw new AirtableException(422, "INVALID_RECORDS",
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
      throw new AirtableException(422, "INVALID_REQUEST_MISSING_FIELDS",
          "Could not find field \"records\" in the request body");
    }
    if (records.isEmpty() || records.size() > MAX_BATCH) {
      throw new AirtableException(422, "INVALID_RECORDS",
          "You can send between 1 and " + MAX_BATCH + " records per request, got " + records.size());
    }
    return records;
  }

  static ObjectNode fieldsOf(JsonNode body) {
    JsonNode fields = body.get("fields");
    if (fields == null) {
      throw new AirtableException(422, "INVALID_REQUEST_MISSING_FIELDS",
          "Could not find field \"fields\" in the request body");
    }
    if (!fields.isObject()) {
      throw new AirtableException(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. Check your request data.");
    }
    return (ObjectNode) fields;
  }

  static JsonNode parse(Context ctx) {
    try {
      JsonNode body = MAPPER.readTree(ctx.bodyAsBytes());
      if (body == null || !body.isObject()) {
        throw new AirtableException(422, "INVALID_REQUEST_UNKNOWN",
            "Invalid request: parameter validation failed. Check your request data.");
      }
      return body;
    } catch (java.io.IOException e) {
      throw new AirtableException(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: the body is not valid JSON");
    }
  }

  static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new AirtableException(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. " + name + " must be an integer");
    }
  }

  static void error(Context ctx, AirtableException e) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("type", e.type());
    error.put("message", e.getMessage());
    json(ctx, e.status(), body);
  }

  static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json; charset=utf-8").result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

}
