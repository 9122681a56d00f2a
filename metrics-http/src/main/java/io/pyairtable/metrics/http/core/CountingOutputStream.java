package io.pyairtable.metrics.http.core;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that counts the bytes written through it (the real response body size,
 * streamed and chunked bodies included).
 *
 * <pre>{@code
 * CountingOutputStream out = new CountingOutputStream(exchange.getResponseBody());
 * out.write(body);
 * long bytes = out.count();
 * }</pre>
 */
public final class CountingOutputStream extends FilterOutputStream {

  private long count;

  public CountingOutputStream(OutputStream out) {
    super(out);
  }

  /** Bytes written so far. */
  public long count() {
    return count;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    count += len;
  }
}
