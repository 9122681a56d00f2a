package io.pyairtable.metrics.http.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to an uncaught exception: a status and the JSON body
 * {@code {"error":{"type","message","correlation_id"}}}. The type is a stable name of the status
 * ({@code not_found}, {@code internal_error}, ...); for 4xx the message is the exception's, for
 * 5xx a generic text, so internals never leak.
 *
 * <pre>{@code
 * ErrorResponse r = ErrorResponse.of(404, "no record rec123", "abc-1");
 * r.status();   // 404
 * r.json();     // {"error":{"type":"not_found","message":"no record rec123","correlation_id":"abc-1"}}
 * }</pre>
 */
public final class ErrorResponse {

  /** The content type of the body. */
  public static final String CONTENT_TYPE = "application/json";

  private static final JsonFactory JSON = new JsonFactory();

  private final int status;
  private final byte[] body;

  private ErrorResponse(int status, byte[] body) {
    this.status = status;
    this.body = body;
  }

  /**
   * The "response" of a request whose client went away (499) or was too slow (408): there is
   * nobody to send it to, so adapters do not write it ({@link #writable()} is false).
   */
  public static ErrorResponse clientGone(int status) {
    return new ErrorResponse(status, new byte[0]);
  }

  /** False for {@link #clientGone}: the connection is gone or failing, nothing is written. */
  public boolean writable() {
    return body.length > 0;
  }

  /** The response for {@code status}; {@code message} is shown only for 4xx. */
  public static ErrorResponse of(int status, String message, String correlationId) {
    String shown = status < 500 && message != null && !message.isBlank() ? message : reason(status);
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("type", type(status));
      g.writeStringField("message", shown);
      if (correlationId != null) {
        g.writeStringField("correlation_id", correlationId);
      } else {
        g.writeNullField("correlation_id");
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ErrorResponse(status, out.toByteArray());
  }

  public int status() {
    return status;
  }

  /** The JSON body, UTF-8. */
  public byte[] body() {
    return body.clone();
  }

  /** The JSON body as a string. */
  public String json() {
    return new String(body, StandardCharsets.UTF_8);
  }

  byte[] rawBody() {
    return body;
  }

  /** The stable error type of a status. */
  public static String type(int status) {
    switch (status) {
      case 400: return "bad_request";
      case 401: return "unauthorized";
      case 403: return "forbidden";
      case 404: return "not_found";
      case 405: return "method_not_allowed";
      case 408: return "request_timeout";
      case 409: return "conflict";
      case 413: return "payload_too_large";
      case 422: return "unprocessable_entity";
      case 429: return "rate_limited";
      case 502: return "bad_gateway";
      case 503: return "service_unavailable";
      case 504: return "gateway_timeout";
      default: return status >= 500 ? "internal_error" : "client_error";
    }
  }

  private static String reason(int status) {
    switch (status) {
      case 400: return "Bad request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not found";
      case 409: return "Conflict";
      case 422: return "Unprocessable entity";
      case 429: return "Too many requests";
      case 502: return "Bad gateway";
      case 503: return "Service unavailable";
      case 504: return "Gateway timeout";
      default: return status >= 500 ? "Internal server error" : "Request failed";
    }
  }
}
