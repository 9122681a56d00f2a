package io.pyairtable.metrics.examples.airtable;

/**
 * A request the Airtable gateway refuses or gives up on itself, answered in Airtable's error shape
 * {@code {"error":{"type":...,"message":...}}} with {@link #status()}. The message is the
 * gateway's own, generic text, never an exception's.
 *
 * <pre>{@code
 * throw new AirtableRefusal(422, "LIST_ALL_TOO_MANY_PAGES", "more than 200 pages: page with offset instead");
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

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** The error type, in Airtable's upper-case style. */
  public String type() {
    return type;
  }
}
