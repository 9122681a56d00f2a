package io.pyairtable.metrics.http.chain;

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
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
    count += len;
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private IOException failed(IOException e) {
    if (scope != null) {
      scope.clientFailed(e);
    }
    return e;
  }
}
