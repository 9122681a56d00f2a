package io.pyairtable.metrics.examples.airtable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which base ids and table names the Airtable gateway may use as label values: only those Airtable
 * itself confirmed, by answering a call to them with a 2xx. Until then (and for ever when Airtable
 * answers 401, 403, 404 or anything else) a request's base id is recorded as
 * {@code base_id="unknown"} and its table as {@code table_name="unknown"}, so random but
 * valid-looking ids from clients cannot fill any base-labelled family's series budget. The number
 * of confirmed tables is capped ({@link #MAX_CONFIRMED_TABLES}); past it, new ones stay
 * {@code unknown}.
 *
 * <pre>{@code
 * AirtableLabels labels = new AirtableLabels();
 * labels.base("appAbCdEfGhIjKlMn");                 // "unknown"
 * labels.confirm("appAbCdEfGhIjKlMn", "Tasks");     // after Airtable answered 200
 * labels.table("appAbCdEfGhIjKlMn", "Tasks");       // "Tasks"
 * }</pre>
 */
public final class AirtableLabels {

  /** The label value of a base or table Airtable has not confirmed. */
  public static final String UNKNOWN = "unknown";
  /** The most (base, table) pairs kept as label values. */
  public static final int MAX_CONFIRMED_TABLES = 1_000;

  private final Set<String> bases = ConcurrentHashMap.newKeySet();
  private final Set<String> tables = ConcurrentHashMap.newKeySet();

  /** Records that Airtable answered a call to {@code table} of {@code baseId} with a 2xx. */
  public void confirm(String baseId, String table) {
    if (tables.size() < MAX_CONFIRMED_TABLES && tables.add(key(baseId, table))) {
      bases.add(baseId);
    }
  }

  /** {@code baseId} when confirmed, else {@value #UNKNOWN}. */
  public String base(String baseId) {
    return baseId != null && bases.contains(baseId) ? baseId : UNKNOWN;
  }

  /** {@code table} when confirmed in {@code baseId}, else {@value #UNKNOWN}. */
  public String table(String baseId, String table) {
    return baseId != null && table != null && tables.contains(key(baseId, table)) ? table : UNKNOWN;
  }

  /** True once Airtable answered a call to this table with a 2xx. */
  public boolean isConfirmed(String baseId, String table) {
    return tables.contains(key(baseId, table));
  }

  private static String key(String baseId, String table) {
    return baseId + '\u0000' + table;
  }
}
