package io.pyairtable.metrics.http.chain;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that counts the bytes written through it (the real response body size,
 * streamed and chunked bodies included). Every call on the wrapped stream goes through one place
 * that, with a {@link RequestScope}, tells the scope when writing failed (the client went away or
 * was too slow); the Servlet adapter's response stream writes through one of these too.
 *
 * <pre>{@code
 * CountingOutputStream out = new CountingOutputStream(exchange.getResponseBody());
 * out.write(body);
 * long bytes = out.count();
 * }</pre>
 */
public final class CountingOutputStream extends FilterOutputStream {

  /** A write of the wrapped stream: the bytes it moved. */
  @FunctionalInterface
  public interface Write {
    long run() throws IOException;
  }

  private final RequestScope scope;
  private long count;

  public CountingOutputStream(OutputStream out) {
    this(out, null);
  }

  /** A stream that also tells {@code scope} when writing fails (the client went away or was too slow). */
  public CountingOutputStream(OutputStream out, RequestScope scope) {
    super(out);
    this.scope = scope;
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  @Override
  public void write(int b) throws IOException {
    write(() -> {
      out.write(b);
      return 1;
    });
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    write(() -> {
      out.write(b, off, len);
      return len;
    });
  }

  @Override
  public void flush() throws IOException {
    write(() -> {
      out.flush();
      return 0;
    });
  }

  @Override
  public void close() throws IOException {
    write(() -> {
      out.close();
      return 0;
    });
  }

  /**
   * Runs a write the wrapped stream offers besides {@link OutputStream}'s (a Servlet container's
   * {@code write(ByteBuffer)}), counted and reported like the others.
   */
  public void write(Write write) throws IOException {
    long n;
    try {
      n = write.run();
    } catch (IOException e) {
      if (scope != null) {
        scope.clientFailed(e);
      }
      throw e;
    }
    count += n;
  }
}
