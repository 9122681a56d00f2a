package io.pyairtable.metrics.examples.airtable;

import java.util.regex.Pattern;

/**
 * Airtable object ids: a three-letter prefix ({@code app}, {@code tbl}, {@code rec}, ...) plus 14
 * alphanumerics. The gateway only accepts well-formed base and record ids, so a typo is a 400 at
 * the gateway, not a call to Airtable, and no raw user input becomes a {@code base_id} label.
 *
 * <pre>{@code
 * AirtableIds.isBaseId("appAbCdEfGhIjKlMn"); // true
 * AirtableIds.isRecordId("recAbCdEfGhIjKlMn"); // true
 * }</pre>
 */
public final class AirtableIds {

  private static final Pattern BASE = Pattern.compile("app[A-Za-z0-9]{14}");
  private static final Pattern RECORD = Pattern.compile("rec[A-Za-z0-9]{14}");
  private static final Pattern TABLE_NAME = Pattern.compile("[^/?#\\p{Cntrl}]{1,100}");

  private AirtableIds() {}

  /** True for a base id ({@code app} + 14 alphanumerics). */
  public static boolean isBaseId(String id) {
    return id != null && BASE.matcher(id).matches();
  }

  /** True for a record id ({@code rec} + 14 alphanumerics). */
  public static boolean isRecordId(String id) {
    return id != null && RECORD.matcher(id).matches();
  }

  /** True for a table id or name that can be put in a URL path segment (1 to 100 chars, no slash). */
  public static boolean isTableIdOrName(String table) {
    return table != null && TABLE_NAME.matcher(table).matches();
  }
}
