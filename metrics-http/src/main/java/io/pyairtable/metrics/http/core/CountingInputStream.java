package io.pyairtable.metrics.http.core;

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

  private long count;

  public CountingInputStream(InputStream in) {
    super(in);
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    if (skipped > 0) {
      count += skipped;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
