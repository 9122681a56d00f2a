package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.chain.CountingOutputStream;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A response that counts the body bytes the application writes, through
 * {@code getOutputStream()} (streamed and chunked bodies included) or {@code getWriter()} (the
 * characters' encoded size in the response charset). Writes go straight to the container's
 * stream or writer, so buffering, flushing and async completion behave as without it.
 *
 * <pre>{@code
 * CountingServletResponse counted = new CountingServletResponse(response);
 * chain.doFilter(request, counted);
 * long bodyBytes = counted.bytesWritten();
 * }</pre>
 */
public final class CountingServletResponse extends HttpServletResponseWrapper {

  private final RequestScope scope;
  private CountingStream stream;
  private CountingWriter writerCounter;
  private PrintWriter writer;

  public CountingServletResponse(HttpServletResponse response) {
    this(response, null);
  }

  /** A response whose body stream also tells {@code scope} when writing fails on the client's side. */
  public CountingServletResponse(HttpServletResponse response, RequestScope scope) {
    super(response);
    this.scope = scope;
  }

  /** Body bytes written so far. */
  public long bytesWritten() {
    long n = stream == null ? 0 : stream.counted.count();
    return writerCounter == null ? n : n + writerCounter.bytes;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      ServletOutputStream container = super.getOutputStream();
      stream = new CountingStream(container, new CountingOutputStream(container, scope));
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter target = super.getWriter();
      String encoding = getCharacterEncoding();
      Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
      writerCounter = new CountingWriter(target, charset);
      writer = new PrintWriter(writerCounter, false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    try {
      super.flushBuffer();
    } catch (IOException e) {
      if (scope != null) {
        scope.clientFailed(e);
      }
      throw e;
    }
  }

  /** The container's stream, written through a {@link CountingOutputStream} (one counting and failure rule). */
  private static final class CountingStream extends ForwardingServletOutputStream {
    final CountingOutputStream counted;

    CountingStream(ServletOutputStream out, CountingOutputStream counted) {
      super(out, counted);
      this.counted = counted;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      int n = buffer.remaining();
      counted.write(() -> {
        out.write(buffer);
        return n - buffer.remaining();
      });
    }
  }

  /** Counts the encoded size of the characters passed to the container's writer (no buffering of its own). */
  private static final class CountingWriter extends Writer {
    private final PrintWriter out;
    private final boolean utf8;
    private final boolean singleByte;
    private final Charset charset;
    long bytes;
    private char pendingHigh;

    CountingWriter(PrintWriter out, Charset charset) {
      this.out = out;
      this.charset = charset;
      this.utf8 = StandardCharsets.UTF_8.equals(charset);
      this.singleByte = StandardCharsets.ISO_8859_1.equals(charset) || StandardCharsets.US_ASCII.equals(charset);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      out.write(cbuf, off, len);
      count(CharBuffer.wrap(cbuf, off, len));
    }

    @Override
    public void write(String s, int off, int len) {
      out.write(s, off, len);
      count(CharBuffer.wrap(s, off, off + len));
    }

    @Override
    public void write(int c) {
      out.write(c);
      count(CharBuffer.wrap(new char[] {(char) c}));
    }

    private void count(CharSequence chars) {
      int len = chars.length();
      if (singleByte) {
        bytes += len;
        return;
      }
      if (!utf8) {
        bytes += charset.encode(CharBuffer.wrap(chars)).remaining();
        return;
      }
      for (int i = 0; i < len; i++) {
        char c = chars.charAt(i);
        if (pendingHigh != 0) {
          pendingHigh = 0;
          if (Character.isLowSurrogate(c)) {
            bytes += 4;
            continue;
          }
          bytes += 3; // a lone high surrogate is replaced by one 3-byte char
        }
        if (c < 0x80) {
          bytes += 1;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c)) {
          pendingHigh = c;
        } else {
          bytes += 3;
        }
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.close();
    }
  }
}
