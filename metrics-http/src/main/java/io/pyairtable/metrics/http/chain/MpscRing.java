package io.pyairtable.metrics.http.chain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;

/**
 * A bounded, lock-free queue for many producers and one consumer (the access-log writer thread):
 * a producer claims a slot with one compare-and-set on the producer index and publishes its
 * element with a release store; the consumer takes elements in order, clears their slots and
 * moves the consumer index on. No lock, no node allocation, no signal to a sleeping consumer
 * (unlike {@code ArrayBlockingQueue}, whose {@code offer} takes a lock the consumer also takes).
 * The array is a power of two; the capacity is exactly what was asked for. The algorithm is the
 * classic bounded multi-producer array queue (as in JCTools' {@code MpscArrayQueue}).
 *
 * <p>Only one thread at a time may call {@link #drainTo}; {@link #offer} and {@link #isEmpty}
 * may be called from any thread.
 *
 * <pre>{@code
 * MpscRing<String> ring = new MpscRing<>(1024);
 * boolean queued = ring.offer("line");        // false when 1024 are waiting
 * List<String> batch = new ArrayList<>();
 * ring.drainTo(batch, 512);                   // the consumer thread
 * }</pre>
 */
final class MpscRing<E> {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle CONSUMER_INDEX;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCER_INDEX = lookup.findVarHandle(MpscRing.class, "producerIndex", long.class);
      CONSUMER_INDEX = lookup.findVarHandle(MpscRing.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object[] slots;
  private final int mask;
  private final long capacity;
  // the two indexes are written by different threads: keep them off one cache line
  @SuppressWarnings("unused")
  private long p01, p02, p03, p04, p05, p06, p07;
  private volatile long producerIndex;
  /** A lower bound of consumerIndex + capacity, so producers rarely read the consumer's line. */
  private volatile long producerLimit;
  @SuppressWarnings("unused")
  private long p11, p12, p13, p14, p15, p16, p17;
  private volatile long consumerIndex;
  @SuppressWarnings("unused")
  private long p21, p22, p23, p24, p25, p26, p27;

  MpscRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    int size = Integer.highestOneBit(capacity);
    if (size < capacity) {
      size <<= 1;
    }
    this.slots = new Object[size];
    this.mask = size - 1;
    this.capacity = capacity;
    this.producerLimit = capacity;
  }

  /** Queues {@code e} (not null); false when {@code capacity} elements are waiting. */
  boolean offer(E e) {
    long limit = producerLimit;
    long index;
    do {
      index = producerIndex;
      if (index >= limit) {
        limit = consumerIndex + capacity;
        if (index >= limit) {
          return false;
        }
        producerLimit = limit;
      }
    } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
    SLOTS.setRelease(slots, (int) index & mask, e);
    return true;
  }

  /**
   * Moves up to {@code max} elements, oldest first, into {@code out}; returns how many. Consumer
   * only. A slot claimed but not yet published is waited for (its producer is between two
   * instructions).
   */
  @SuppressWarnings("unchecked")
  int drainTo(Collection<? super E> out, int max) {
    long index = consumerIndex;
    int n = 0;
    while (n < max) {
      int slot = (int) index & mask;
      Object e = SLOTS.getAcquire(slots, slot);
      if (e == null) {
        if (index == producerIndex) {
          break;
        }
        for (int spins = 0; e == null; spins++) {
          if (spins < 100) {
            Thread.onSpinWait();
          } else {
            Thread.yield(); // the producer lost its core between claiming the slot and filling it
          }
          e = SLOTS.getAcquire(slots, slot);
        }
      }
      SLOTS.setOpaque(slots, slot, null);
      index++;
      CONSUMER_INDEX.setRelease(this, index);
      out.add((E) e);
      n++;
    }
    return n;
  }

  /** True when nothing is queued (or being published). */
  boolean isEmpty() {
    return consumerIndex == producerIndex;
  }

  /** The elements waiting at most. */
  long capacity() {
    return capacity;
  }
}
