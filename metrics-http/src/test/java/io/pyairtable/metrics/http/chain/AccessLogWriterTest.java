package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file writer: every accepted line written, drops counted exactly, rotation and close lose nothing. */
@Timeout(60)
class AccessLogWriterTest {

  @TempDir
  Path dir;

  private static void log(AccessLogWriter w, int i) {
    w.log("GET", "/items/{id}", 200, 1_000_000, i, 5, "req-" + i, "127.0.0.1");
  }

  /** Polls {@code condition} every 5 ms for up to 20 s (also used by the writer's concurrency tests). */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private static double dropped(MetricsCollector collector, String reason) {
    return new Exposition(collector.exportMetrics()).value(MetricCatalog.ACCESS_LOG_DROPPED_LINES_TOTAL.name(),
        "reason", reason);
  }

  /** A channel whose writes wait until released, announcing each write it enters. */
  private static final class StalledChannel implements WritableByteChannel {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private volatile boolean open = true;

    @Override
    public int write(ByteBuffer src) throws IOException {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      synchronized (content) {
        content.write(b, 0, n);
      }
      return n;
    }

    List<String> lines() {
      synchronized (content) {
        return content.toString(StandardCharsets.UTF_8).lines().toList();
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  @Test
  void withAFullQueueOfKAndAStalledDiskEveryFurtherLineIsDroppedAndCountedExactly() throws Exception {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("drops").jvmMetrics(false).initialize();
    StalledChannel channel = new StalledChannel();
    int k = 8;
    AccessLogWriter writer = AccessLogWriter.builder(dir.resolve("access.log")).queueCapacity(k)
        .closeOnShutdown(false).build(f -> channel);
    writer.countDropsIn(collector);
    try {
      log(writer, 0);
      assertThat(channel.entered.await(20, TimeUnit.SECONDS)).as("the writer is stuck in its first write").isTrue();
      for (int i = 1; i <= k; i++) {
        log(writer, i); // fills the queue: the first line is out of it, in the stalled write
      }
      for (int i = k + 1; i <= k + 5; i++) {
        log(writer, i); // no room: dropped
      }

      assertThat(writer.droppedLines(AccessLogWriter.DropReason.QUEUE_FULL)).isEqualTo(5);
      assertThat(writer.droppedLines()).isEqualTo(5);
      assertThat(dropped(collector, "queue_full")).isEqualTo(5.0);
      assertThat(dropped(collector, "write_failed")).isZero();
      assertThat(dropped(collector, "closed")).isZero();

      channel.release.countDown();
      await(() -> writer.writtenLines() == k + 1, "the 1 + k accepted lines written");
    } finally {
      channel.release.countDown();
      writer.close();
    }
    List<String> lines = channel.lines();
    assertThat(lines).hasSize(k + 1);
    for (int i = 0; i <= k; i++) {
      assertThat(lines.get(i)).contains("\"request_bytes\":" + i + ",", "\"correlation_id\":\"req-" + i + "\"");
    }
    assertThat(writer.droppedLines()).isEqualTo(5);
    assertThat(dropped(collector, "queue_full")).isEqualTo(5.0);
  }

  @Test
  void whenFullBlockMakesTheRequestWaitAndLosesNothing() throws Exception {
    StalledChannel channel = new StalledChannel();
    AccessLogWriter writer = AccessLogWriter.builder(dir.resolve("access.log")).queueCapacity(2)
        .whenFull(AccessLogWriter.WhenFull.BLOCK).closeOnShutdown(false).build(f -> channel);
    Thread blocked = new Thread(() -> log(writer, 3));
    try {
      log(writer, 0);
      assertThat(channel.entered.await(20, TimeUnit.SECONDS)).isTrue();
      log(writer, 1);
      log(writer, 2);
      blocked.start();
      await(() -> blocked.getState() == Thread.State.WAITING, "the fourth request waiting for room");

      channel.release.countDown();
      blocked.join(20_000);
      await(() -> writer.writtenLines() == 4, "all four lines written");
    } finally {
      channel.release.countDown();
      writer.close();
    }
    assertThat(blocked.isAlive()).isFalse();
    assertThat(writer.droppedLines()).isZero();
    assertThat(channel.lines()).hasSize(4);
  }

  @Test
  void closeWritesEveryQueuedLineToTheFile() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).closeOnShutdown(false).build();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      log(writer, i);
    }

    writer.close();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(n);
    assertThat(lines.get(0)).contains("\"request_bytes\":0,");
    assertThat(lines.get(n - 1)).contains("\"request_bytes\":" + (n - 1) + ",");
    assertThat(writer.writtenLines()).isEqualTo(n);
    assertThat(writer.droppedLines()).isZero();
    assertThat(writer.enabled()).isFalse();
  }

  @Test
  void aLineAfterCloseIsCountedAsClosed() throws Exception {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("closed").jvmMetrics(false).initialize();
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).closeOnShutdown(false).build();
    writer.countDropsIn(collector);
    log(writer, 0);
    writer.close();

    log(writer, 1);

    assertThat(Files.readAllLines(file)).hasSize(1);
    assertThat(writer.droppedLines(AccessLogWriter.DropReason.CLOSED)).isEqualTo(1);
    assertThat(dropped(collector, "closed")).isEqualTo(1.0);
  }

  @Test
  void rotationMovesFullFilesAsideBetweenLinesAndKeepsEveryLineInOrder() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).format(AccessLogFormat.TEXT).maxFileBytes(1_000)
        .maxFiles(10).closeOnShutdown(false).build();
    int n = 40;
    for (int i = 0; i < n; i++) {
      writer.log("GET", "/hello", 200, 1_000_000, 10 + i, 5, "req-x", "127.0.0.1"); // every line the same length
    }
    writer.close();

    int lineBytes = Files.readAllLines(file).get(0).length() + 1;
    int perFile = 1_000 / lineBytes;
    List<String> all = new ArrayList<>();
    int files = (n + perFile - 1) / perFile;
    for (int i = files - 1; i >= 0; i--) { // oldest first
      Path f = i == 0 ? file : dir.resolve("access.log." + i);
      assertThat(Files.size(f)).isLessThanOrEqualTo(1_000);
      all.addAll(Files.readAllLines(f));
    }
    assertThat(dir.resolve("access.log." + files)).doesNotExist();
    assertThat(all).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(all.get(i)).contains(" in=" + (10 + i) + " B ");
    }
  }

  @Test
  void rotationKeepsOnlyMaxFilesOldFilesTheNewestLines() throws Exception {
    Path file = dir.resolve("access.log");
    AccessLogWriter writer = AccessLogWriter.builder(file).format(AccessLogFormat.TEXT).maxFileBytes(500)
        .maxFiles(2).closeOnShutdown(false).build();
    for (int i = 0; i < 40; i++) {
      writer.log("GET", "/hello", 200, 1_000_000, 10 + i, 5, "req-x", "127.0.0.1");
    }
    writer.close();

    assertThat(dir.resolve("access.log.3")).doesNotExist();
    List<String> kept = new ArrayList<>(Files.readAllLines(dir.resolve("access.log.2")));
    kept.addAll(Files.readAllLines(dir.resolve("access.log.1")));
    kept.addAll(Files.readAllLines(file));
    assertThat(kept.get(kept.size() - 1)).contains(" in=49 B ");
    for (int i = 1; i < kept.size(); i++) { // consecutive, ending with the last line
      assertThat(kept.get(i)).contains(" in=" + (49 - (kept.size() - 1 - i)) + " B ");
    }
  }

  @Test
  void aFailedWriteDropsItsBatchCountsItAndTheNextBatchReopensTheFile() throws Exception {
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("fails").jvmMetrics(false).initialize();
    Path file = dir.resolve("access.log");
    AtomicInteger opens = new AtomicInteger();
    AccessLogWriter writer = AccessLogWriter.builder(file).closeOnShutdown(false).build(f -> {
      if (opens.incrementAndGet() == 1) {
        throw new IOException("disk gone");
      }
      return FileChannel.open(f, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    });
    writer.countDropsIn(collector);
    try {
      log(writer, 0);
      await(() -> writer.droppedLines() == 1, "the first line dropped");
      log(writer, 1);
      await(() -> writer.writtenLines() == 1, "the second line written");
    } finally {
      writer.close();
    }
    assertThat(Files.readAllLines(file)).hasSize(1).first().asString().contains("\"request_bytes\":1,");
    assertThat(dropped(collector, "write_failed")).isEqualTo(1.0);
    assertThat(opens.get()).isEqualTo(2);
  }
}
