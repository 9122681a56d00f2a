package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.chain.CountingInputStream;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body stream counts the bytes the application reads (through
 * {@code getInputStream()} or {@code getReader()}).
 *
 * <pre>{@code
 * CountingServletRequest counted = new CountingServletRequest(request);
 * chain.doFilter(counted, response);
 * long bodyBytes = counted.bytesRead();
 * }</pre>
 */
public final class CountingServletRequest extends HttpServletRequestWrapper {

  private final RequestScope scope;
  private CountingStream stream;
  private BufferedReader reader;

  public CountingServletRequest(HttpServletRequest request) {
    this(request, null);
  }

  /** A request whose body stream also tells {@code scope} when reading fails on the client's side. */
  public CountingServletRequest(HttpServletRequest request, RequestScope scope) {
    super(request);
    this.scope = scope;
  }

  /** Bytes of the body read so far. */
  public long bytesRead() {
    return stream == null ? 0 : stream.counted.count();
  }

  /** The body size: the bytes read, or the declared length when the application read less. */
  public long bodySize() {
    return Math.max(bytesRead(), Math.max(0, getContentLengthLong()));
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      stream = new CountingStream(super.getInputStream(), scope);
    }
    return stream;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (reader == null) {
      String encoding = getCharacterEncoding();
      Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
      reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
    return reader;
  }

  /** The container's stream, read through a {@link CountingInputStream} (one counting and failure rule). */
  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    final CountingInputStream counted;

    CountingStream(ServletInputStream in, RequestScope scope) {
      this.in = in;
      this.counted = new CountingInputStream(in, scope);
    }

    @Override
    public int read() throws IOException {
      return counted.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return counted.read(b, off, len);
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      return counted.read(() -> in.read(buffer));
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
