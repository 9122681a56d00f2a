package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.examples.airtable.AirtableRefusal;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one emulated table, and Airtable's checks of the values written to them. Seeding
 * ({@link #learn}) defines fields by example; an API write ({@link #accept}) may only use known
 * field names (else 422 {@code UNKNOWN_FIELD_NAME}) and values of the field's type (else 422
 * {@code INVALID_VALUE_FOR_COLUMN}), unless {@code typecast} asks for the conversion Airtable
 * makes: text to number or checkbox, numbers and booleans to text.
 *
 * <pre>{@code
 * AirtableFields fields = new AirtableFields();
 * fields.learn(json("{\"Name\":\"Ada\",\"Score\":3}"));
 * fields.accept(json("{\"Score\":\"4\"}"), true);   // {"Score":4}
 * fields.accept(json("{\"Nope\":1}"), false);       // throws 422 UNKNOWN_FIELD_NAME
 * }</pre>
 */
final class AirtableFields {

  /** The kinds of field the emulator tells apart. */
  enum Type {
    NUMBER("number"), TEXT("singleLineText"), CHECKBOX("checkbox"), OTHER("multipleRecordLinks");

    final String airtableType;

    Type(String airtableType) {
      this.airtableType = airtableType;
    }

    static Type of(JsonNode value) {
      if (value.isNumber()) {
        return NUMBER;
      }
      if (value.isBoolean()) {
        return CHECKBOX;
      }
      return value.isTextual() ? TEXT : OTHER;
    }
  }

  private final Map<String, Type> types = new LinkedHashMap<>();

  /** Defines every field of {@code fields} not known yet, with the type of its value. */
  synchronized void learn(ObjectNode fields) {
    fields.fields().forEachRemaining(f -> {
      if (!f.getValue().isNull()) {
        types.putIfAbsent(f.getKey(), Type.of(f.getValue()));
      }
    });
  }

  /** True when the table has a field of that name. */
  synchronized boolean has(String name) {
    return types.containsKey(name);
  }

  /** The fields by name, in definition order. */
  synchronized Map<String, Type> types() {
    return Map.copyOf(types);
  }

  /** The field names in definition order. */
  synchronized Set<String> names() {
    return new LinkedHashSet<>(types.keySet());
  }

  /** Throws 422 {@code UNKNOWN_FIELD_NAME} unless the table has {@code name}. */
  void requireKnown(String name) {
    if (!has(name)) {
      throw unknown(name);
    }
  }

  /** {@code fields} as Airtable would store them: checked, and converted when {@code typecast}. */
  synchronized ObjectNode accept(ObjectNode fields, boolean typecast) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      Type type = types.get(f.getKey());
      if (type == null) {
        throw unknown(f.getKey());
      }
      JsonNode value = f.getValue();
      out.set(f.getKey(), value.isNull() || Type.of(value) == type || type == Type.OTHER ? value
          : convert(f.getKey(), type, value, typecast));
    }
    return out;
  }

  private static JsonNode convert(String name, Type type, JsonNode value, boolean typecast) {
    if (typecast) {
      switch (type) {
        case TEXT:
          if (value.isValueNode()) {
            return JsonNodeFactory.instance.textNode(value.asText());
          }
          break;
        case NUMBER:
          if (value.isTextual()) {
            try {
              return JsonNodeFactory.instance.numberNode(new BigDecimal(value.asText().trim()));
            } catch (NumberFormatException e) {
              return JsonNodeFactory.instance.nullNode(); // Airtable's typecast leaves the cell empty
            }
          }
          break;
        case CHECKBOX:
          if (value.isTextual() || value.isNumber()) {
            String t = value.asText().trim().toLowerCase(Locale.ROOT);
            return JsonNodeFactory.instance.booleanNode(t.equals("true") || t.equals("checked") || t.equals("1")
                || t.equals("yes"));
          }
          break;
        default:
          break;
      }
    }
    throw new AirtableRefusal(422, "INVALID_VALUE_FOR_COLUMN",
        "Field \"" + name + "\" cannot accept the provided value");
  }

  private static AirtableRefusal unknown(String name) {
    return new AirtableRefusal(422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"" + name + "\"");
  }
}
