package io.pyairtable.metrics.examples.airtable;

/**
 * A request refused in Airtable's error shape {@code {"error":{"type":...,"message":...}}} with
 * {@link #status()}: by the Airtable gateway itself (it refuses or gives up), or by the Airtable
 * emulator as Airtable would answer. The message is the refuser's own text, never an exception's.
 *
 * <pre>{@code
 * throw new AirtableRefusal(422, "LIST_ALL_TOO_MANY_PAGES", "more than 200 pages: page with offset instead");
 * throw new AirtableRefusal(404, "TABLE_NOT_FOUND", "Could not find table Users in application appXXXXXXXXXXXXXX");
 * }</pre>
 */
public final class AirtableRefusal extends RuntimeException {

  private final int status;
  private final String type;

  public AirtableRefusal(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  /** The HTTP status of the answer (401, 404, 422, 429, 5xx; 499 when the client left). */
  public int status() {
    return status;
  }

  /** The error type, in Airtable's upper-case style, for example {@code INVALID_REQUEST_UNKNOWN}. */
  public String type() {
    return type;
  }
}
