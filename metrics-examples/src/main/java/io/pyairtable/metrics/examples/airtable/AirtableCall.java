package io.pyairtable.metrics.examples.airtable;

import java.util.Objects;

/**
 * One call to the Airtable Web API, as the gateway sends it: the operation label, the base and
 * table it addresses, the HTTP method, the path below {@code /v0/{baseId}/{table}}, the query
 * string and the JSON body.
 *
 * <pre>{@code
 * AirtableCall list = AirtableCall.list("appAbCdEfGhIjKlMn", "Tasks", "pageSize=10");
 * AirtableCall get = AirtableCall.get("appAbCdEfGhIjKlMn", "Tasks", "recAbCdEfGhIjKlMn");
 * }</pre>
 *
 * @param operation the {@code operation} label: list, get, create, update or delete
 * @param baseId the base id ({@code app...})
 * @param table the table id or name
 * @param method the HTTP method
 * @param recordId the record id, or null for table-level calls
 * @param query the query string without {@code ?}, or empty
 * @param body the JSON request body, or null
 */
public record AirtableCall(
    String operation, String baseId, String table, String method, String recordId, String query, String body) {

  public AirtableCall {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(method, "method");
    query = query == null ? "" : query;
  }

  /** One page of a table's records. */
  public static AirtableCall list(String baseId, String table, String query) {
    return new AirtableCall("list", baseId, table, "GET", null, query, null);
  }

  /** One record. */
  public static AirtableCall get(String baseId, String table, String recordId) {
    return new AirtableCall("get", baseId, table, "GET", recordId, "", null);
  }

  /** Creates records: {@code body} is {@code {"fields":{...}}} or {@code {"records":[...]}}. */
  public static AirtableCall create(String baseId, String table, String body) {
    return new AirtableCall("create", baseId, table, "POST", null, "", body);
  }

  /** Updates the given fields of one record ({@code PATCH}). */
  public static AirtableCall update(String baseId, String table, String recordId, String body) {
    return new AirtableCall("update", baseId, table, "PATCH", recordId, "", body);
  }

  /** Deletes one record. */
  public static AirtableCall delete(String baseId, String table, String recordId) {
    return new AirtableCall("delete", baseId, table, "DELETE", recordId, "", null);
  }

  /** True for calls that change data (and so invalidate cached reads of the table). */
  public boolean isWrite() {
    return !"GET".equals(method);
  }
}
