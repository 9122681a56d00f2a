package io.pyairtable.metrics.integrations.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The temp directory of a test's external process (a redis-server's log and config): created
 * under {@code java.io.tmpdir}, deleted with everything in it when the process is stopped for good.
 *
 * <pre>{@code
 * Path dir = TempDirectory.create("redis-test");
 * // ... run redis-server --dir dir, then kill it
 * TempDirectory.delete(dir);
 * }</pre>
 */
public final class TempDirectory {

  private TempDirectory() {
  }

  public static Path create(String prefix) throws IOException {
    return Files.createTempDirectory(prefix);
  }

  /** Deletes {@code dir} and everything below it; a directory already gone is fine. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
