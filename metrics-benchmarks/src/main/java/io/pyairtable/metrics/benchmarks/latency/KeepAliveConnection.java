package io.pyairtable.metrics.benchmarks.latency;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of {@link FixedRateLoad}: at most one request in flight,
 * written by the sender thread ({@link #send}), its answer read by the receiver thread
 * ({@link #readAnswer}) from a non-blocking channel registered with the receiver's selector. An
 * answer is complete at its {@code Content-Length}; a {@code Connection: close} answer, a failed
 * write or a closed connection makes the next send open a new one.
 *
 * <pre>{@code
 * KeepAliveConnection conn = new KeepAliveConnection(0, address, requestBytes);
 * conn.open(selector);
 * conn.send(System.nanoTime(), selector);       // sender thread
 * int outcome = conn.readAnswer();              // receiver thread, when the key is readable
 * }</pre>
 */
final class KeepAliveConnection {
  static final int PENDING = 0;
  static final int ANSWERED = 1;
  static final int FAILED = 2;
  /**
   * Nothing to do: the server closed the connection while no request was in flight (nothing
   * lost; it is reopened by its next send), or the sender already counted the request as failed.
   */
  static final int IDLE_CLOSED = 3;

  /** The index of the target this connection serves, in a run over several. */
  final int target;
  private final InetSocketAddress address;
  private final ByteBuffer request;
  private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
  private SocketChannel channel;
  /** When the request in flight (or the last one) was due. */
  volatile long intended;
  /** A request was written and its answer is not complete; cleared once, by whoever completes it ({@link #complete}). */
  private boolean inFlight;
  private int headerEnd = -1;
  private long bodyLeft;
  private boolean ok;
  /** The answer said {@code Connection: close}: the next send opens a new connection. */
  private boolean closeAfter;

  KeepAliveConnection(int target, InetSocketAddress address, byte[] request) {
    this.target = target;
    this.address = address;
    this.request = ByteBuffer.wrap(request);
  }

  void open(Selector selector) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.socket().connect(address, 5_000);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, this);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    channel = ch;
    selector.wakeup(); // a receiver blocked in select() takes the new key in
  }

  /** Writes the request (sender thread); false when the connection could not be (re)opened or written. */
  boolean send(long intendedNanos, Selector selector) {
    headerEnd = -1;
    bodyLeft = 0;
    buffer.clear();
    intended = intendedNanos;
    synchronized (this) {
      inFlight = true; // before a reopen too: a failed one is then completed (counted, idle again) like a failed write
    }
    try {
      if (channel == null || !channel.isOpen()) {
        open(selector);
      }
      request.rewind();
      long giveUp = 0;
      while (request.hasRemaining()) {
        if (channel.write(request) == 0) { // a full send buffer with one request in flight: not seen on loopback
          long now = System.nanoTime();
          if (giveUp == 0) {
            giveUp = now + 5_000_000_000L;
          } else if (now - giveUp > 0) {
            throw new IOException("the server has not taken the request for 5 s");
          }
          Thread.onSpinWait();
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      close();
      return false;
    }
  }

  /** Ends the request in flight; true only for the one call that ends it (the sender's or the receiver's). */
  synchronized boolean complete() {
    boolean was = inFlight;
    inFlight = false;
    return was;
  }

  private synchronized boolean inFlight() {
    return inFlight;
  }

  /**
   * Reads what has arrived (receiver thread): {@link #PENDING} while the answer is incomplete,
   * {@link #ANSWERED} for a whole 2xx answer, {@link #FAILED} for another status or a connection
   * that failed with a request in flight.
   */
  int readAnswer() {
    try {
      int n = channel.read(buffer);
      if (n < 0) {
        close();
        return finish(false);
      }
      if (!inFlight()) {
        buffer.clear(); // bytes nobody asked for: ignored
        return PENDING;
      }
      if (headerEnd < 0) {
        headerEnd = indexOfBlankLine(buffer.array(), Math.max(0, buffer.position() - n - 3), buffer.position());
        if (headerEnd < 0) {
          if (!buffer.hasRemaining()) {
            close();
            return finish(false);
          }
          return PENDING;
        }
        String head = new String(buffer.array(), 0, headerEnd, StandardCharsets.ISO_8859_1);
        ok = head.startsWith("HTTP/1.1 2");
        closeAfter = "close".equalsIgnoreCase(header(head, "Connection"));
        String length = header(head, "Content-Length");
        if (length == null) {
          throw new IOException("response without Content-Length");
        }
        bodyLeft = Long.parseLong(length) - (buffer.position() - headerEnd - 4);
        buffer.clear();
      } else {
        bodyLeft -= n;
        buffer.clear();
      }
      if (bodyLeft > 0) {
        return PENDING;
      }
      if (closeAfter) {
        close();
      }
      return finish(ok);
    } catch (IOException | RuntimeException e) {
      close();
      return finish(false);
    }
  }

  /** The answer is complete (or failed): {@link #IDLE_CLOSED} when no request was in flight. */
  private int finish(boolean answered) {
    if (!complete()) {
      return IDLE_CLOSED;
    }
    // intended is read by the receiver before the connection is idle again for the sender
    return answered ? ANSWERED : FAILED;
  }

  private static int indexOfBlankLine(byte[] b, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The value of header {@code name} in {@code head}, or null. */
  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Closes the connection (a later send opens a new one). */
  void close() {
    SocketChannel ch = channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing a failed connection
      }
    }
  }
}
