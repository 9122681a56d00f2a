package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's queue: a full queue drops or waits for room, and a stopped writer releases the waiting. */
@Timeout(30)
class LineQueueTest {

  private static AccessLogEntry line(int status) {
    return new AccessLogEntry(0, "GET", "/items", status, 0, 0, 0, null, null);
  }

  /** Fills {@code queue} (capacity 1) with a 200 and offers a 201 from another thread, returning once it waits. */
  private static CompletableFuture<Boolean> offerToFull(LineQueue queue) {
    assertThat(queue.offer(line(200))).isTrue();
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> queue.offer(line(201)));
    while (!queue.hasWaiters()) {
      Thread.onSpinWait();
    }
    return waiting;
  }

  @Test
  void aFullDroppingQueueRefusesAtOnceAndTakesLinesAgainOnceDrained() {
    LineQueue queue = new LineQueue(2, false);
    assertThat(queue.offer(line(200))).isTrue();
    assertThat(queue.offer(line(201))).isTrue();
    assertThat(queue.offer(line(202))).isFalse();

    List<AccessLogEntry> batch = new ArrayList<>();
    assertThat(queue.drainTo(batch, 10)).isEqualTo(2);
    assertThat(batch).extracting(e -> e.status).containsExactly(200, 201);
    assertThat(queue.offer(line(203))).isTrue();
  }

  @Test
  void aBlockingOfferWaitsUntilTheWriterDrains() throws Exception {
    LineQueue queue = new LineQueue(1, true);
    CompletableFuture<Boolean> waiting = offerToFull(queue);
    assertThat(waiting).isNotDone();

    List<AccessLogEntry> batch = new ArrayList<>();
    queue.drainTo(batch, 10);
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
    queue.drainTo(batch, 10);
    assertThat(batch).extracting(e -> e.status).containsExactly(200, 201);
    assertThat(queue.hasWaiters()).isFalse();
  }

  @Test
  void aStoppedWriterReleasesTheWaitingOfferWithFalse() throws Exception {
    LineQueue queue = new LineQueue(1, true);
    CompletableFuture<Boolean> waiting = offerToFull(queue);

    queue.stopConsumer();
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(queue.consumerStopped()).isTrue();
  }

  @Test
  void leftoversAreCountedWithoutTheEndMarker() {
    LineQueue queue = new LineQueue(8, false);
    queue.offer(line(200));
    queue.offer(line(201));
    assertThat(queue.tryOffer(LineQueue.END)).isTrue();
    queue.offer(line(202));

    assertThat(queue.removeLeftovers()).isEqualTo(3);
    assertThat(queue.isEmpty()).isTrue();
  }
}
