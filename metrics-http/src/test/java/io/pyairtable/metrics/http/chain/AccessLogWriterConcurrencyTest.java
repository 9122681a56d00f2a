package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The writer under many request threads, and waking it after it went idle. */
@Timeout(60)
class AccessLogWriterConcurrencyTest {

  @TempDir
  Path dir;

  /**
   * With the longest linger: a writer that lingered after each batch of the 16-line queue would
   * take 1,250 s for the 20,000 lines (the class's timeout is 60 s); requests waiting for room, or
   * a batch of a quarter of the queue, make it drain again at once.
   */
  @Test
  void manyRequestThreadsThroughASmallBlockingQueueGetEveryLineWrittenOnceWithoutWaitingOutTheLinger()
      throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).queueCapacity(16)
        .whenFull(AccessLogWriter.WhenFull.BLOCK).linger(Duration.ofSeconds(1)).closeOnShutdown(false).build();
    int threads = 4;
    int each = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> requests = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread r = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          writer.log("GET", "/items/{id}", 200, 1_000, i, 5, "t" + id + "-" + i, "127.0.0.1");
        }
      });
      r.start();
      requests.add(r);
    }
    start.countDown();
    for (Thread r : requests) {
      r.join(TimeUnit.SECONDS.toMillis(40));
    }
    writer.close();

    List<String> lines = Files.readAllLines(file);
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      int at = line.indexOf("\"correlation_id\":\"") + 18;
      ids.add(line.substring(at, line.indexOf('"', at)));
    }
    assertThat(lines).hasSize(threads * each);
    assertThat(ids).hasSize(threads * each).contains("t0-0", "t3-" + (each - 1));
    assertThat(writer.droppedLines()).isZero();
    assertThat(writer.writtenLines()).isEqualTo(threads * each);
  }

  @Test
  void aLineAfterTheWriterWentIdleWakesItAndIsWritten() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).closeOnShutdown(false).build();
    try {
      writer.log("GET", "/a", 200, 1_000, 0, 5, "first", "127.0.0.1");
      AccessLogWriterTest.await(() -> writer.writtenLines() == 1, "the first line written");
      AccessLogWriterTest.await(writer::idle, "the writer parked until the next line (idle)");

      writer.log("GET", "/b", 200, 1_000, 0, 5, "second", "127.0.0.1");

      AccessLogWriterTest.await(() -> writer.writtenLines() == 2, "the second line written");
    } finally {
      writer.close();
    }
    assertThat(Files.readAllLines(file)).hasSize(2).last().asString().contains("\"correlation_id\":\"second\"");
    assertThat(writer.droppedLines()).isZero();
  }

  @Test
  void aLongerLingerStillWritesEveryLineAndTheLingerIsBounded() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).linger(Duration.ofMillis(20))
        .closeOnShutdown(false).build();
    try {
      for (int i = 0; i < 100; i++) {
        writer.log("GET", "/a", 200, 1_000, i, 5, "l-" + i, "127.0.0.1");
      }
      AccessLogWriterTest.await(() -> writer.writtenLines() == 100, "the 100 lines written");
    } finally {
      writer.close();
    }
    assertThat(Files.readAllLines(file)).hasSize(100);
    assertThat(writer.droppedLines()).isZero();
    assertThatThrownBy(() -> AccessLogWriter.builder(file)
        .linger(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AccessLogWriter.builder(file)
        .linger(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
  }
}
