package io.pyairtable.metrics.examples.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Relays a backend's {@code text/event-stream} body to the client chunk by chunk, flushing each,
 * with an idle/heartbeat policy instead of a request timeout: while the backend is quiet, an SSE
 * comment line ({@code ": keep-alive"}) is written between events every {@code heartbeat}, which
 * keeps intermediaries from closing the connection and tells the gateway when the client has gone;
 * after {@code idleTimeout} without a byte from the backend the stream is closed. The backend
 * connection is cancelled whenever the relay ends early (client gone, idle, gateway stopping).
 *
 * <pre>{@code
 * HttpURLConnection backend = ...;
 * StreamRelay.End end = new StreamRelay(Duration.ofSeconds(15), Duration.ofMinutes(5))
 *     .relay(backend.getInputStream(), ctx.outputStream(), executor, backend::disconnect, ClientPresence.of(ctx));
 * }</pre>
 */
public final class StreamRelay {

  /** How a relayed stream ended. */
  public enum End {
    /** The backend ended the stream. */
    COMPLETE,
    /** The client closed its connection. */
    CLIENT_GONE,
    /** Nothing came from the backend for the idle timeout: the gateway closed the stream. */
    IDLE,
    /** The backend connection failed mid-stream. */
    BACKEND_FAILED,
    /** The gateway is stopping. */
    INTERRUPTED
  }

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final Object COMPLETE = new Object();
  private static final long PRESENCE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final Duration heartbeat;
  private final Duration idleTimeout;

  public StreamRelay(Duration heartbeat, Duration idleTimeout) {
    if (heartbeat.isNegative() || heartbeat.isZero() || idleTimeout.compareTo(heartbeat) < 0) {
      throw new IllegalArgumentException("need 0 < heartbeat <= idle timeout");
    }
    this.heartbeat = heartbeat;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Copies {@code body} to {@code out} until one side ends; returns how it ended. The body is read
   * on {@code readers}; {@code abort} (which must close the backend connection, so that a blocked
   * read ends) runs whenever the relay ends before the backend did; {@code clientGone} is asked
   * after every chunk and heartbeat.
   */
  public End relay(InputStream body, OutputStream out, Executor readers, Runnable abort, BooleanSupplier clientGone) {
    LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>(64);
    AtomicBoolean stopped = new AtomicBoolean();
    readers.execute(() -> read(body, chunks, stopped));
    End end = pump(chunks, out, clientGone);
    stopped.set(true);
    if (end != End.COMPLETE) {
      abort.run();
    }
    return end;
  }

  private static void read(InputStream body, LinkedBlockingQueue<Object> chunks, AtomicBoolean stopped) {
    byte[] buffer = new byte[8192];
    try (InputStream in = body) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n > 0 && !hand(chunks, Arrays.copyOf(buffer, n), stopped)) {
          return;
        }
      }
      hand(chunks, COMPLETE, stopped);
    } catch (IOException e) {
      hand(chunks, e, stopped);
    }
  }

  /** Queues {@code item}, waiting while the queue is full (back pressure) unless the relay stopped. */
  private static boolean hand(LinkedBlockingQueue<Object> chunks, Object item, AtomicBoolean stopped) {
    try {
      while (!stopped.get()) {
        if (chunks.offer(item, 100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private End pump(LinkedBlockingQueue<Object> chunks, OutputStream out, BooleanSupplier clientGone) {
    long idleNanos = 0;
    long lastPresenceCheck = System.nanoTime();
    boolean atEventBoundary = true;
    byte[] tail = new byte[4];
    try {
      out.flush(); // the client sees the backend's status and headers now, not at the first event
      while (true) {
        Object item = chunks.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        // writes to a closed connection do not always fail at once: look at the connection too (at most every 250 ms)
        if (System.nanoTime() - lastPresenceCheck > PRESENCE_CHECK_NANOS) {
          lastPresenceCheck = System.nanoTime();
          if (clientGone.getAsBoolean()) {
            return End.CLIENT_GONE;
          }
        }
        if (item == null) {
          idleNanos += heartbeat.toNanos();
          if (idleNanos >= idleTimeout.toNanos()) {
            return End.IDLE;
          }
          if (atEventBoundary) {
            out.write(HEARTBEAT);
            out.flush();
          }
          continue;
        }
        if (item == COMPLETE) {
          return End.COMPLETE;
        }
        if (item instanceof IOException) {
          return End.BACKEND_FAILED;
        }
        idleNanos = 0;
        byte[] bytes = (byte[]) item;
        out.write(bytes);
        out.flush();
        atEventBoundary = endsEvent(tail, bytes);
      }
    } catch (IOException e) {
      return End.CLIENT_GONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return End.INTERRUPTED;
    }
  }

  /** Tracks the last four bytes written; true when they end with a blank line (the end of an SSE event). */
  private static boolean endsEvent(byte[] tail, byte[] bytes) {
    for (byte b : bytes) {
      System.arraycopy(tail, 1, tail, 0, 3);
      tail[3] = b;
    }
    return (tail[2] == '\n' && tail[3] == '\n') || (tail[2] == '\r' && tail[3] == '\r')
        || (tail[0] == '\r' && tail[1] == '\n' && tail[2] == '\r' && tail[3] == '\n');
  }
}
