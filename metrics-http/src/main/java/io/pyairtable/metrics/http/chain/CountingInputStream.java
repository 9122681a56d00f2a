package io.pyairtable.metrics.http.chain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that counts the bytes read through it (the real request body size). Every read
 * goes through one place that counts what it moved and, with a {@link RequestScope}, tells the
 * scope when reading failed on the client's side; the Servlet adapter's request stream reads
 * through one of these too.
 *
 * <pre>{@code
 * CountingInputStream in = new CountingInputStream(exchange.getRequestBody());
 * in.readAllBytes();
 * long bytes = in.count();
 * }</pre>
 */
public final class CountingInputStream extends FilterInputStream {

  /** A read of the wrapped stream: the bytes it moved, or -1 at the end of the stream. */
  @FunctionalInterface
  public interface Read {
    long run() throws IOException;
  }

  private final RequestScope scope;
  private long count;

  public CountingInputStream(InputStream in) {
    this(in, null);
  }

  /** A stream that also tells {@code scope} when reading fails (the client went away or was too slow). */
  public CountingInputStream(InputStream in, RequestScope scope) {
    super(in);
    this.scope = scope;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = (int) reading(in::read);
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return (int) counted(() -> in.read(b, off, len));
  }

  @Override
  public long skip(long n) throws IOException {
    return counted(() -> in.skip(n));
  }

  /**
   * Runs a read the wrapped stream offers besides {@link InputStream}'s (a Servlet container's
   * {@code read(ByteBuffer)}), counted and reported like the others.
   */
  public int read(Read other) throws IOException {
    return (int) counted(other);
  }

  private long counted(Read read) throws IOException {
    long n = reading(read);
    if (n > 0) {
      count += n;
    }
    return n;
  }

  private long reading(Read read) throws IOException {
    try {
      return read.run();
    } catch (IOException | RuntimeException e) { // unchecked: a container's own read failure (Jetty: 408 BadMessageException)
      if (scope != null && ClientFailures.isClientStreamFailure(e)) {
        scope.clientFailed(e);
      }
      throw e;
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
