package io.pyairtable.metrics.http.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link ServletOutputStream} over the container's, as {@link java.io.FilterOutputStream} is for
 * a plain stream: writes, {@code flush} and {@code close} go to the container's stream, or through
 * a plain {@link OutputStream} layered over it (a counting one, say); the non-blocking calls
 * ({@code isReady}, {@code setWriteListener}) go to the container's stream. A subclass overrides the
 * writes it watches. {@code write(ByteBuffer)} is left to {@link ServletOutputStream}'s own, which
 * writes through {@code write(byte[], int, int)}, so a subclass sees every byte unless it overrides
 * it too.
 *
 * <pre>{@code
 * ServletOutputStream counted = new ForwardingServletOutputStream(container, new CountingOutputStream(container));
 * ServletOutputStream tapped = new ForwardingServletOutputStream(response.getOutputStream()) {
 *   @Override
 *   public void write(byte[] b, int off, int len) throws IOException {
 *     out.write(b, off, len);
 *     seen += len;
 *   }
 * };
 * }</pre>
 */
public class ForwardingServletOutputStream extends ServletOutputStream {

  /** The container's stream. */
  protected final ServletOutputStream out;
  private final OutputStream through;

  /** Everything goes to {@code out}. */
  public ForwardingServletOutputStream(ServletOutputStream out) {
    this(out, out);
  }

  /** Writes, {@code flush} and {@code close} go {@code through} a stream over {@code out}. */
  public ForwardingServletOutputStream(ServletOutputStream out, OutputStream through) {
    this.out = out;
    this.through = through;
  }

  @Override
  public void write(int b) throws IOException {
    through.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    through.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    through.flush();
  }

  @Override
  public void close() throws IOException {
    through.close();
  }

  @Override
  public boolean isReady() {
    return out.isReady();
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    out.setWriteListener(listener);
  }
}
