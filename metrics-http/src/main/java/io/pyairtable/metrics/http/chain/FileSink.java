package io.pyairtable.metrics.http.chain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * The writer thread's side of {@link AccessLogWriter}: formats a batch of entries as UTF-8 straight
 * into one reused byte buffer ({@link Utf8Line}) and writes it to the file, rotating the
 * file between lines when a size is set. A failed write drops that batch (counted), logs a WARN
 * once (through the logger it is given, the writer's), and the file is reopened for the next
 * batch. Not thread-safe: one writer thread.
 *
 * <pre>{@code
 * FileSink sink = new FileSink(path, AccessLogFormat.JSON, FileChannel::open, 0, 5, lines -> {}, log);
 * sink.write(batch);
 * sink.close();
 * }</pre>
 */
final class FileSink {

  /** Lines formatted and written together at most. */
  static final int BATCH = 1024;

  /** Opens the channel a file is written through (tests substitute a stalling one). */
  @FunctionalInterface
  interface Opener {
    WritableByteChannel open(Path file) throws IOException;
  }

  private final Path file;
  private final AccessLogFormat format;
  private final Opener opener;
  private final long maxFileBytes;
  private final int maxFiles;
  private final LongConsumer onWriteFailed;
  private final Logger log;
  private final AccessLogFormat.Timestamps clock = new AccessLogFormat.Timestamps();
  private final Utf8Line text = new Utf8Line(256 * BATCH);
  private final Utf8Line line = new Utf8Line(512);
  private WritableByteChannel channel;
  private long fileBytes;
  private volatile long written;
  private boolean failureLogged;
  /** What {@link #readAhead} read last; not used otherwise. */
  private int readAheadSum;

  /** {@code onWriteFailed} receives the lines of a batch dropped by a failed write. */
  FileSink(Path file, AccessLogFormat format, Opener opener, long maxFileBytes, int maxFiles,
      LongConsumer onWriteFailed, Logger log) {
    this.file = file;
    this.format = format;
    this.opener = opener;
    this.maxFileBytes = maxFileBytes;
    this.maxFiles = maxFiles;
    this.onWriteFailed = onWriteFailed;
    this.log = log;
  }

  long written() {
    return written;
  }

  /** Formats and writes {@code batch}; a failure drops the lines not yet written (counted). */
  void write(List<AccessLogEntry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    int lines = 0;
    int done = 0;
    try {
      if (channel == null) {
        open();
      }
      readAhead(batch);
      for (AccessLogEntry e : batch) {
        if (maxFileBytes <= 0) {
          format.append(text, clock, e);
          lines++;
          continue;
        }
        line.clear();
        format.append(line, clock, e);
        if (fileBytes + text.length() + line.length() > maxFileBytes && fileBytes + text.length() > 0) {
          flush();
          done += lines;
          written += lines;
          lines = 0;
          rotate();
        }
        text.append(line);
        lines++;
      }
      flush();
      written += lines;
    } catch (IOException | RuntimeException e) {
      text.clear();
      onWriteFailed.accept(batch.size() - done);
      if (!failureLogged) {
        failureLogged = true;
        log.warn("access log: writing {} failed ({}); the lines of that batch are dropped and counted in "
            + "access_log_dropped_lines_total, the file is reopened for the next batch", file,
            e.getClass().getSimpleName());
      }
      closeChannel();
    }
  }

  /**
   * Reads every entry of the batch, its correlation id and the head of the id's bytes before any
   * line is formatted (the method, route and client are strings the writer reads on every line).
   * The request threads wrote them on another core, so each is a cache miss here; in this loop the
   * misses are independent and the CPU overlaps them, where the formatting loop would wait for one
   * at a time (the writer thread's user CPU per line fell from 1.19 to 0.80 µs with it, BENCHMARKS.md).
   */
  private void readAhead(List<AccessLogEntry> batch) {
    int sum = 0;
    for (AccessLogEntry e : batch) {
      String id = e.correlationId;
      sum += id == null ? 0 : id.length();
    }
    readAheadSum = sum; // kept, so the loop is not compiled away
  }

  private void open() throws IOException {
    channel = opener.open(file);
    fileBytes = channel instanceof FileChannel fc ? fc.size() : 0;
  }

  /** Writes the pending bytes. */
  private void flush() throws IOException {
    if (text.length() == 0) {
      return;
    }
    ByteBuffer out = ByteBuffer.wrap(text.bytes(), 0, text.length());
    while (out.hasRemaining()) {
      fileBytes += channel.write(out);
    }
    text.clear();
  }

  /** {@code file.(N-1)} → {@code file.N}, …, {@code file} → {@code file.1}, then a new {@code file}. */
  private void rotate() throws IOException {
    closeChannel();
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = sibling(i);
      if (Files.exists(from)) {
        Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.exists(file)) {
      Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
    }
    open();
  }

  private Path sibling(int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  private void closeChannel() {
    WritableByteChannel c = channel;
    channel = null;
    fileBytes = 0;
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the file is reopened (or the writer is done)
      }
    }
  }

  void close() {
    closeChannel();
  }
}
