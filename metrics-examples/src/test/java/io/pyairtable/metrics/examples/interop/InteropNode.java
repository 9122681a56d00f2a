package io.pyairtable.metrics.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official Node.js clients the interop tests drive: {@code src/test/interop} (package.json with
 * pinned versions, its package-lock.json and the client scripts) copied to
 * {@code target/interop-node}, where {@code npm ci} installs the packages when they are missing
 * ({@code bin/run-tests} installs them up front). Scripts run as child processes with a timeout and
 * print one JSON line.
 *
 * <pre>{@code
 * JsonNode seen = InteropNode.run("mcp-client.mjs", Duration.ofSeconds(60), mcpUrl, "0");
 * }</pre>
 */
final class InteropNode {

  static final Path SOURCES = Path.of("src", "test", "interop");
  static final Path DIR = Path.of("target", "interop-node");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static boolean ready;

  private InteropNode() {}

  /** Copies the scripts and installs the pinned packages unless the same lock file is installed already. */
  static synchronized void ensureInstalled() throws IOException, InterruptedException {
    if (ready) {
      return;
    }
    Files.createDirectories(DIR);
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path f : files.toList()) {
        Files.copy(f, DIR.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // the lock file an install was made from (bin/run-tests leaves the same marker)
    Path marker = DIR.resolve("node_modules").resolve(".package-lock.json.src");
    byte[] lock = Files.readAllBytes(SOURCES.resolve("package-lock.json"));
    if (!Files.exists(marker) || !Arrays.equals(Files.readAllBytes(marker), lock)) {
      Result npm = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"),
          Duration.ofMinutes(5));
      assertThat(npm.exit).as("npm ci in %s failed:%n%s%n%s", DIR, npm.output, npm.errors).isZero();
      Files.write(marker, lock);
    }
    ready = true;
  }

  /** Runs {@code node script args...} in the install folder and returns the JSON line it printed last. */
  static JsonNode run(String script, Duration timeout, String... args) throws IOException, InterruptedException {
    ensureInstalled();
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(Arrays.asList(args));
    Result r = exec(command, timeout);
    assertThat(r.exit).as("%s exited %d:%n%s%n%s", script, r.exit, r.output, r.errors).isZero();
    String[] lines = r.output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private record Result(int exit, String output, String errors) {}

  private static Result exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path out = Files.createTempFile("interop-node", ".out");
    Path err = Files.createTempFile("interop-node", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      return new Result(ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
          (ended ? "" : "timed out after " + timeout + "\n") + Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
