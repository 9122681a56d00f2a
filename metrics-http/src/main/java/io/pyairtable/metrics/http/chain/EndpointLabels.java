package io.pyairtable.metrics.http.chain;

import java.util.Locale;
import java.util.Set;

/**
 * The fixed label values of the HTTP families: {@value #UNMATCHED} for a request that matched no
 * route (never its raw path), {@value #OTHER_METHOD} for an HTTP method outside the standard
 * ones, and {@value #HTTP_5XX} as the {@code error_type} of a 5xx answered without an exception.
 *
 * <pre>{@code
 * EndpointLabels.method("get");      // "GET"
 * EndpointLabels.method("BREW");     // "OTHER"
 * }</pre>
 */
public final class EndpointLabels {

  /** The endpoint of a request that matched no route. Route templates start with "/", so it never collides. */
  public static final String UNMATCHED = "unmatched";

  /** The method label of a request with a non-standard method. */
  public static final String OTHER_METHOD = "OTHER";

  /** The {@code error_type} of a 5xx response without an exception. */
  public static final String HTTP_5XX = "http_5xx";

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private EndpointLabels() {}

  /** The method as a label value: one of the standard methods in upper case, or {@value #OTHER_METHOD}. */
  public static String method(String method) {
    if (method == null) {
      return OTHER_METHOD;
    }
    switch (method) { // the common case, no allocation
      case "GET": return "GET";
      case "POST": return "POST";
      case "PUT": return "PUT";
      case "DELETE": return "DELETE";
      case "PATCH": return "PATCH";
      case "HEAD": return "HEAD";
      case "OPTIONS": return "OPTIONS";
      default:
        if (method.length() > 7) {
          return OTHER_METHOD;
        }
        String upper = method.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper.intern() : OTHER_METHOD;
    }
  }
}
