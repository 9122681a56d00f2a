package io.pyairtable.metrics.examples.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder the MCP file tools may touch. Every path a client gives is resolved against the
 * sandbox root, and refused when it leaves it: absolute paths, {@code ..} segments that climb out,
 * and symbolic links pointing outside are all rejected.
 *
 * <pre>{@code
 * Sandbox sandbox = new Sandbox(Path.of("/srv/mcp-files"));
 * List<Sandbox.Entry> entries = sandbox.list(".");
 * String text = sandbox.read("notes/todo.txt", 65_536);
 * sandbox.resolve("../etc/passwd");   // throws SecurityException
 * }</pre>
 */
public final class Sandbox {

  /** One directory entry. */
  public record Entry(String name, boolean directory, long size) {}

  private final Path root;

  /** A sandbox rooted at an existing directory. */
  public Sandbox(Path root) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("the sandbox folder " + root + " does not exist", e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("the sandbox " + root + " is not a directory");
    }
  }

  public Path root() {
    return root;
  }

  /** The absolute path of {@code relative} inside the sandbox; SecurityException when it escapes. */
  public Path resolve(String relative) {
    if (relative == null || relative.isBlank()) {
      relative = ".";
    }
    Path given = Path.of(relative);
    if (given.isAbsolute()) {
      throw new SecurityException("absolute paths are not allowed: " + relative);
    }
    Path resolved = root.resolve(given).normalize();
    if (!resolved.startsWith(root)) {
      throw new SecurityException("path escapes the sandbox: " + relative);
    }
    if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (!resolved.toRealPath().startsWith(root)) {
          throw new SecurityException("path links out of the sandbox: " + relative);
        }
      } catch (IOException e) {
        throw new SecurityException("cannot resolve " + relative + ": " + e.getMessage());
      }
    }
    return resolved;
  }

  /** The entries of a directory in the sandbox, sorted by name. */
  public List<Entry> list(String relative) throws IOException {
    Path dir = resolve(relative);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a directory: " + relative);
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path p : (Iterable<Path>) children.sorted()::iterator) {
        boolean directory = Files.isDirectory(p);
        entries.add(new Entry(p.getFileName().toString(), directory, directory ? 0 : Files.size(p)));
      }
    }
    return entries;
  }

  /** The text of a file in the sandbox (UTF-8), at most {@code maxBytes} bytes of it. */
  public String read(String relative, int maxBytes) throws IOException {
    Path file = resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a file: " + relative);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
    }
  }
}
