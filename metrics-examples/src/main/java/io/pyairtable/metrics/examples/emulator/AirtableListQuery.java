package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.pyairtable.metrics.examples.airtable.AirtableRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one list-records call, as Airtable reads them from the query string of
 * {@code GET /v0/{base}/{table}} or from the JSON body of {@code POST /v0/{base}/{table}/listRecords}:
 * {@code pageSize}, {@code maxRecords}, {@code offset}, {@code fields}, {@code filterByFormula},
 * {@code sort} (field and direction, several fields) and {@code view}. A parameter Airtable does not
 * know is refused with 422 {@code INVALID_REQUEST_UNKNOWN}.
 *
 * <pre>{@code
 * AirtableListQuery q = AirtableListQuery.fromQuery(ctx);   // ?sort[0][field]=Name&sort[0][direction]=desc
 * q.sort();                                                 // [Sort[field=Name, descending=true]]
 * }</pre>
 *
 * @param pageSize records per page (1-100)
 * @param maxRecords the most records of the whole listing, 0 for all
 * @param offset the offset token of the page, or null for the first
 * @param fields the fields to return, empty for all
 * @param filterByFormula the formula, or null
 * @param sort the sort fields, in order
 * @param view the view name or id, or null
 */
record AirtableListQuery(int pageSize, int maxRecords, String offset, List<String> fields, String filterByFormula,
    List<Sort> sort, String view) {

  /** One sort field. */
  record Sort(String field, boolean descending) {}

  private static final Pattern SORT_PARAM = Pattern.compile("sort\\[(\\d+)]\\[(field|direction)]");
  private static final Set<String> ACCEPTED = Set.of("pageSize", "maxRecords", "offset", "fields[]", "fields",
      "filterByFormula", "view", "cellFormat", "timeZone", "userLocale", "returnFieldsByFieldId", "recordMetadata[]",
      "recordMetadata", "sort", "method");

  /** The parameters of a {@code GET} list call. */
  static AirtableListQuery fromQuery(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    TreeMap<Integer, String[]> sorts = new TreeMap<>();
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      Matcher m = SORT_PARAM.matcher(p.getKey());
      if (m.matches()) {
        String[] s = sorts.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new String[2]);
        s[m.group(2).equals("field") ? 0 : 1] = p.getValue().get(0);
      } else if (!ACCEPTED.contains(p.getKey())) {
        throw invalid();
      }
    }
    List<Sort> sort = new ArrayList<>();
    for (String[] s : sorts.values()) {
      sort.add(sort(s[0], s[1]));
    }
    List<String> fields = new ArrayList<>(params.getOrDefault("fields[]", List.of()));
    fields.addAll(params.getOrDefault("fields", List.of()));
    return new AirtableListQuery(intParam(ctx.queryParam("pageSize"), 100), intParam(ctx.queryParam("maxRecords"), 0),
        ctx.queryParam("offset"), fields, ctx.queryParam("filterByFormula"), sort, ctx.queryParam("view"));
  }

  /** The parameters of a {@code POST .../listRecords} call (its JSON body). */
  static AirtableListQuery fromBody(JsonNode body) {
    body.fieldNames().forEachRemaining(name -> {
      if (!ACCEPTED.contains(name)) {
        throw invalid();
      }
    });
    List<String> fields = new ArrayList<>();
    JsonNode f = body.path("fields");
    if (!f.isMissingNode() && !f.isArray()) {
      throw invalid();
    }
    f.forEach(n -> fields.add(n.asText()));
    List<Sort> sort = new ArrayList<>();
    JsonNode s = body.path("sort");
    if (!s.isMissingNode() && !s.isArray()) {
      throw invalid();
    }
    for (JsonNode one : s) {
      sort.add(sort(one.path("field").isTextual() ? one.get("field").asText() : null,
          one.path("direction").isTextual() ? one.get("direction").asText() : null));
    }
    return new AirtableListQuery(intValue(body.get("pageSize"), 100), intValue(body.get("maxRecords"), 0),
        text(body.get("offset")), fields, text(body.get("filterByFormula")), sort, text(body.get("view")));
  }

  private static Sort sort(String field, String direction) {
    if (field == null || field.isEmpty()) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
          "Invalid request: parameter validation failed. Check your request data.");
    }
    if (direction != null && !direction.equals("asc") && !direction.equals("desc")) {
      throw new AirtableRefusal(422, "INVALID_SORT_DIRECTION",
          "Invalid sort direction \"" + direction + "\": use asc or desc");
    }
    return new Sort(field, "desc".equals(direction));
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static int intValue(JsonNode n, int fallback) {
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw invalid();
    }
    return n.asInt();
  }

  static int intParam(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static AirtableRefusal invalid() {
    return new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN",
        "Invalid request: parameter validation failed. Check your request data.");
  }
}
