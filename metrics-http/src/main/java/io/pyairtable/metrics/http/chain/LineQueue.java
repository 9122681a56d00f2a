package io.pyairtable.metrics.http.chain;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The access-log lines between the request threads and the writer thread: a bounded lock-free
 * ring ({@link MpscRing}) and, for a writer that blocks when full ({@code WhenFull.BLOCK}), the
 * requests waiting for room in it. The writer drains it in batches; {@link #END}, queued by
 * close, is its last line.
 *
 * <pre>{@code
 * LineQueue lines = new LineQueue(65_536, false);
 * boolean queued = lines.offer(entry);        // a request thread: false when full
 * int n = lines.drainTo(batch, 1_024);        // the writer thread: waiting requests get room
 * }</pre>
 */
final class LineQueue {

  /** The last line: the writer writes what came before it and stops. */
  static final AccessLogEntry END = new AccessLogEntry(0, null, null, 0, 0, 0, 0, null, null);

  private final MpscRing<AccessLogEntry> ring;
  private final boolean block;
  /** Requests waiting for room; they wait on {@link #room}. */
  private final Object room = new Object();
  private volatile int waiters;
  /** The writer thread has stopped: nothing takes lines out any more. */
  private volatile boolean consumerStopped;

  /** At most {@code capacity} lines; with {@code block}, an offer to a full queue waits for room. */
  LineQueue(int capacity, boolean block) {
    this.ring = new MpscRing<>(capacity);
    this.block = block;
  }

  /**
   * Queues {@code line}; when the queue is full, waits for room if blocking, else returns false
   * at once. A waiting offer gives up (false) when the writer stops or its thread is interrupted.
   */
  boolean offer(AccessLogEntry line) {
    return ring.offer(line) || (block && awaitRoom(line));
  }

  /** Queues {@code line} if there is room, never waiting. */
  boolean tryOffer(AccessLogEntry line) {
    return ring.offer(line);
  }

  private boolean awaitRoom(AccessLogEntry line) {
    synchronized (room) {
      waiters++;
      try {
        while (!ring.offer(line)) {
          if (consumerStopped) {
            return false;
          }
          room.wait();
        }
        return true;
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        waiters--;
      }
    }
  }

  /** The writer thread: moves up to {@code max} lines into {@code batch}, waking requests waiting for room. */
  int drainTo(List<AccessLogEntry> batch, int max) {
    int n = ring.drainTo(batch, max);
    if (n > 0) {
      roomMade();
    }
    return n;
  }

  /** True when no line is queued. */
  boolean isEmpty() {
    return ring.isEmpty();
  }

  /** True while requests wait for room (the writer then drains again without lingering). */
  boolean hasWaiters() {
    return waiters > 0;
  }

  /** True once the writer thread has stopped. */
  boolean consumerStopped() {
    return consumerStopped;
  }

  /** The writer thread stops: requests waiting for room give up. */
  void stopConsumer() {
    consumerStopped = true;
    roomMade();
  }

  /** Once the writer has stopped: takes the lines still queued out ({@link #END} not counted); how many. */
  int removeLeftovers() {
    synchronized (room) { // one consumer at a time once the writer thread is gone
      List<AccessLogEntry> left = new ArrayList<>();
      ring.drainTo(left, Integer.MAX_VALUE);
      left.remove(END);
      return left.size();
    }
  }

  private void roomMade() {
    VarHandle.fullFence(); // the consumer index written before waiters is read (see awaitRoom)
    if (waiters > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }
}
