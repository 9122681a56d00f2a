package io.pyairtable.metrics.examples.emulator;

/**
 * An Airtable API error as the emulator answers it: an HTTP status plus the body
 * {@code {"error":{"type":"...","message":"..."}}}.
 *
 * <pre>{@code
 * throw new AirtableException(404, "TABLE_NOT_FOUND", "Could not find table Users in application appXXXXXXXXXXXXXX");
 * }</pre>
 */
public final class AirtableException extends RuntimeException {

  private final int status;
  private final String type;

  public AirtableException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  /** The HTTP status code (401, 404, 422, 429, 5xx). */
  public int status() {
    return status;
  }

  /** Airtable's error type, for example {@code INVALID_REQUEST_UNKNOWN}. */
  public String type() {
    return type;
  }
}
