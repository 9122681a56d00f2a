package io.pyairtable.metrics.http.chain;

/**
 * An exception that carries the HTTP status it should be answered with; the error handler turns
 * it into {@code {"error":{"type","message","correlation_id"}}} with that status. For 4xx the
 * message is shown to the client, for 5xx a generic text is.
 *
 * <pre>{@code
 * throw HttpStatusException.notFound("no record " + id);
 * throw new HttpStatusException(402, "payment required");
 * }</pre>
 */
public class HttpStatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public HttpStatusException(int status, String message) {
    this(status, message, null);
  }

  public HttpStatusException(int status, String message, Throwable cause) {
    super(message, cause);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 400..599, was " + status);
    }
    this.status = status;
  }

  /** The status this exception is answered with. */
  public int status() {
    return status;
  }

  public static HttpStatusException badRequest(String message) {
    return new HttpStatusException(400, message);
  }

  public static HttpStatusException unauthorized(String message) {
    return new HttpStatusException(401, message);
  }

  public static HttpStatusException forbidden(String message) {
    return new HttpStatusException(403, message);
  }

  public static HttpStatusException notFound(String message) {
    return new HttpStatusException(404, message);
  }

  public static HttpStatusException conflict(String message) {
    return new HttpStatusException(409, message);
  }

  public static HttpStatusException unprocessable(String message) {
    return new HttpStatusException(422, message);
  }

  public static HttpStatusException tooManyRequests(String message) {
    return new HttpStatusException(429, message);
  }
}
