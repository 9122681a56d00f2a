package io.pyairtable.metrics.http.chain;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Recognises a request that failed because of its client, not the server: the client closed or
 * reset the connection before the answer (recorded as status {@value #CLIENT_CLOSED_REQUEST}, the
 * nginx convention for "client closed request", with {@code error_type="client_abort"}), or sent
 * its body too slowly (408, {@code error_type="client_timeout"}). Adapters flag it when reading
 * the body or writing the response through their own streams fails — only there, since an
 * upstream call can fail with the same exception types. An {@link IOException} there is the
 * client's connection; an unchecked exception there counts when it is recognised here: Jetty's
 * {@code EofException} (and {@code HttpEofException}), {@link ClosedChannelException}, a broken
 * pipe or reset, or a timeout (a 408 {@code BadMessageException} from Jetty's minimum data rate
 * check, a {@link TimeoutException}).
 *
 * <pre>{@code
 * ClientFailures.isClientFailure(new org.eclipse.jetty.io.EofException("reset")); // true
 * ClientFailures.isClientFailure(new IllegalStateException("bug"));                // false
 * }</pre>
 */
public final class ClientFailures {

  /** The status of a request whose client went away before the answer. */
  public static final int CLIENT_CLOSED_REQUEST = 499;

  /** The {@code error_type} of a request whose client went away. */
  public static final String CLIENT_ABORT = "client_abort";

  /** The {@code error_type} of a request whose client sent its body too slowly. */
  public static final String CLIENT_TIMEOUT = "client_timeout";

  private ClientFailures() {}

  /** Whether {@code error} (or a cause) says the client's connection failed. */
  public static boolean isClientFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getSimpleName();
      if (name.equals("EofException") || name.equals("HttpEofException") || name.equals("EOFException")
          || name.equals("ClientAbortException") || t instanceof ClosedChannelException) {
        return true;
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String m = t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("broken pipe") || m.contains("connection reset") || m.contains("early eof")
            || m.contains("connection closed before all data")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a read of the request body or a write of the response that failed with {@code failure}
   * failed on the client's connection: any {@link IOException} there, or an unchecked failure
   * recognised by {@link #isTimeout} or {@link #isClientFailure}.
   */
  public static boolean isClientStreamFailure(Throwable failure) {
    return failure instanceof IOException || isTimeout(failure) || isClientFailure(failure);
  }

  /**
   * The client error a server's own HTTP exception carries, found in {@code error} or a cause: the
   * request itself was refused, as when Jetty's body limit stops a streamed body (413) or a chunk
   * is malformed (400); it is answered and counted with that status, not as a 500. Recognised:
   * Jetty's {@code org.eclipse.jetty.http.HttpException} family ({@code BadMessageException},
   * {@code HttpException.RuntimeException}), by name, so the chain needs no Jetty. 0 for anything
   * else, and for a status outside 400-499.
   */
  public static int refusedStatus(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        for (Class<?> contract : c.getInterfaces()) {
          if (contract.getName().equals("org.eclipse.jetty.http.HttpException")) {
            int code = codeOf(contract, t);
            return code >= 400 && code < 500 ? code : 0;
          }
        }
      }
    }
    return 0;
  }

  private static int codeOf(Class<?> contract, Throwable t) {
    try {
      return ((Number) contract.getMethod("getCode").invoke(t)).intValue();
    } catch (ReflectiveOperationException | RuntimeException unreadable) {
      return 0;
    }
  }

  /** Whether {@code error} (or a cause) is a timeout, such as Jetty's minimum data rate check. */
  public static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
        return true;
      }
      // Jetty's servlet-level minimum data rate check: BadMessageException "408: Request content data rate < ..."
      if (t.getClass().getSimpleName().endsWith("BadMessageException") && t.getMessage() != null
          && t.getMessage().startsWith("408")) {
        return true;
      }
    }
    return false;
  }
}
