package io.pyairtable.metrics.monitoring.promql;

/**
 * The {@code status_code} matchers every rule and panel on the HTTP families shares: a 5xx is a
 * server error; {@code 499} (the client closed the connection before the answer) is neither an
 * error of ours nor a latency we produced, so error ratios and latency leave it out entirely.
 *
 * <pre>{@code
 * String errors = q.sumRate(by("service"), HTTP_REQUESTS_TOTAL, HttpStatus.serverError(), HttpStatus.answered());
 * }</pre>
 */
public final class HttpStatus {

  /** The status recorded for a request whose client went away first (nginx's convention). */
  public static final String CLIENT_ABORT = "499";

  /** The label the HTTP families carry the status in. */
  public static final String LABEL = "status_code";

  private HttpStatus() {}

  /** {@code status_code=~"5.."}. */
  public static Matcher serverError() {
    return Matcher.regex(LABEL, "5..");
  }

  /** {@code status_code!="499"}: requests the service answered (the client waited for the answer). */
  public static Matcher answered() {
    return Matcher.notEqual(LABEL, CLIENT_ABORT);
  }
}
