package io.pyairtable.metrics.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one export writes, in the order written: each write creates its directories, and a
 * failure names the file.
 *
 * <pre>{@code
 * ExportFiles files = new ExportFiles();
 * files.write(dir.resolve("alerts.yml"), yaml);
 * return files.written();
 * }</pre>
 */
final class ExportFiles {

  private final List<Path> written = new ArrayList<>();

  /** Writes {@code content} to {@code file}, creating its directories. */
  void write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content);
      written.add(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Every file written so far. */
  List<Path> written() {
    return written;
  }
}
