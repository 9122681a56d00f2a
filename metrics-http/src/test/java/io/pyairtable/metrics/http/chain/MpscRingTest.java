package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's hand-off: bounded at exactly its capacity, first in first out, nothing lost or doubled. */
@Timeout(60)
class MpscRingTest {

  @Test
  void holdsExactlyItsCapacityEvenWhenThatIsNotAPowerOfTwo() {
    MpscRing<Integer> ring = new MpscRing<>(3);

    assertThat(ring.offer(1)).isTrue();
    assertThat(ring.offer(2)).isTrue();
    assertThat(ring.offer(3)).isTrue();
    assertThat(ring.offer(4)).isFalse();

    List<Integer> out = new ArrayList<>();
    assertThat(ring.drainTo(out, 1)).isEqualTo(1);
    assertThat(ring.offer(5)).isTrue();
    assertThat(ring.offer(6)).isFalse();
    assertThat(ring.drainTo(out, 10)).isEqualTo(3);
    assertThat(out).containsExactly(1, 2, 3, 5);
    assertThat(ring.isEmpty()).isTrue();
    assertThat(ring.drainTo(out, 10)).isZero();
  }

  @Test
  void wrapsAroundManyTimesInOrder() {
    MpscRing<Integer> ring = new MpscRing<>(3); // an array of 4: indexes wrap past the capacity
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      assertThat(ring.offer(i)).isTrue();
      if (i % 3 == 2) {
        assertThat(ring.offer(-1)).as("full at 3").isFalse();
        assertThat(ring.drainTo(out, 3)).isEqualTo(3);
      }
    }
    ring.drainTo(out, Integer.MAX_VALUE);

    assertThat(out).hasSize(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(out.get(i)).isEqualTo(i);
    }
  }

  @Test
  void refusesACapacityBelowOne() {
    assertThatThrownBy(() -> new MpscRing<>(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fourProducersAndOneConsumerLoseNothingAndKeepEachProducersOrder() throws InterruptedException {
    MpscRing<long[]> ring = new MpscRing<>(64);
    int producers = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          long[] e = {id, i};
          while (!ring.offer(e)) {
            Thread.onSpinWait(); // full: the consumer is behind
          }
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    int[] next = new int[producers];
    List<long[]> batch = new ArrayList<>();
    long received = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (received < (long) producers * each && System.nanoTime() < deadline) {
      batch.clear();
      ring.drainTo(batch, 16);
      for (long[] e : batch) {
        assertThat(e[1]).as("producer %d's next element", e[0]).isEqualTo(next[(int) e[0]]);
        next[(int) e[0]]++;
      }
      received += batch.size();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }

    assertThat(received).isEqualTo((long) producers * each);
    assertThat(next).containsOnly(each);
    assertThat(ring.isEmpty()).isTrue();
  }
}
