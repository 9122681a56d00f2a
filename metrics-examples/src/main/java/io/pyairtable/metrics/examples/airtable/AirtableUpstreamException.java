package io.pyairtable.metrics.examples.airtable;

/**
 * Airtable could not serve a call: a 5xx answer or no answer at all (connection refused, timeout).
 * These, and only these, count as failures for the gateway's circuit breaker; 4xx answers are the
 * caller's problem and pass through as {@link AirtableResponse}s.
 *
 * <pre>{@code
 * try { client.send(call); } catch (AirtableUpstreamException e) { ctx.status(502); }
 * }</pre>
 */
public final class AirtableUpstreamException extends RuntimeException {

  private final int status;

  public AirtableUpstreamException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The upstream status code, or 0 when there was no HTTP answer. */
  public int status() {
    return status;
  }
}
