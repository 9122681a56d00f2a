package io.pyairtable.metrics.http.chain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that counts the bytes read through it (the real request body size).
 *
 * <pre>{@code
 * CountingInputStream in = new CountingInputStream(exchange.getRequestBody());
 * in.readAllBytes();
 * long bytes = in.count();
 * }</pre>
 */
public final class CountingInputStream extends FilterInputStream {

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
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      throw failed(e);
    } catch (RuntimeException e) { // a container's own read failure (Jetty: 408 BadMessageException)
      throw failedUnchecked(e);
    }
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    } catch (RuntimeException e) { // a container's own read failure (Jetty: 408 BadMessageException)
      throw failedUnchecked(e);
    }
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped;
    try {
      skipped = in.skip(n);
    } catch (IOException e) {
      throw failed(e);
    } catch (RuntimeException e) { // a container's own read failure (Jetty: 408 BadMessageException)
      throw failedUnchecked(e);
    }
    if (skipped > 0) {
      count += skipped;
    }
    return skipped;
  }

  private RuntimeException failedUnchecked(RuntimeException e) {
    if (scope != null && (ClientFailures.isTimeout(e) || ClientFailures.isClientFailure(e))) {
      scope.clientFailed(e);
    }
    return e;
  }

  private IOException failed(IOException e) {
    if (scope != null) {
      scope.clientFailed(e);
    }
    return e;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
