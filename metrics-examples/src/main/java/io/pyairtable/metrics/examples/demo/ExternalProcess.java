package io.pyairtable.metrics.examples.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A helper server the demo runs as a real OS process (redis-server, prometheus) in a temporary
 * directory: started with its output in a log file there, waited for until it answers, and on
 * {@link #close()} stopped (SIGTERM, then SIGKILL after 10 s, children included) and its directory
 * deleted. It registers no shutdown hook of its own: the demo's one
 * {@link io.pyairtable.metrics.examples.shutdown.OrderedShutdown} stops it, after the services
 * that use it (a hook per helper would race that path and kill Redis while the services drain).
 *
 * <pre>{@code
 * Path dir = Files.createTempDirectory("redis");
 * try (ExternalProcess redis = ExternalProcess.start("redis-server", dir,
 *     List.of("redis-server", "--port", "6390"), () -> pingOk(), Duration.ofSeconds(10))) {
 *   ...
 * }
 * }</pre>
 */
public final class ExternalProcess implements AutoCloseable {

  private final Path directory;
  private final Path log;
  private final Process process;

  /** Starts {@code command} in {@code directory}, its output going to {@code <name>.log} there. */
  private ExternalProcess(String name, Path directory, List<String> command) throws IOException {
    this.directory = directory;
    this.log = directory.resolve(name + ".log");
    this.process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /** The absolute path of {@code binary} on the PATH, if there is one. */
  public static Optional<Path> onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isEmpty())
        .map(dir -> Path.of(dir, binary)).filter(Files::isExecutable).findFirst();
  }

  /**
   * A readiness check for {@link #start}: true once {@code url} answers 200 (each try waits at
   * most 1 s), as Prometheus' and Alertmanager's {@code /-/ready} do.
   */
  public static BooleanSupplier answers200(URI url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build();
    return () -> {
      try {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    };
  }

  /**
   * Starts {@code command} in {@code directory} (which it owns from now on) and waits until
   * {@code ready} is true; fails, stopping the process, when it exits or is not ready in time.
   */
  public static ExternalProcess start(String name, Path directory, List<String> command, BooleanSupplier ready,
      Duration timeout) {
    ExternalProcess started;
    try {
      started = new ExternalProcess(name, directory, command);
    } catch (IOException e) {
      deleteTree(directory);
      throw new UncheckedIOException("cannot start " + name, e);
    }
    Process process = started.process;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        String log = started.log();
        started.close();
        throw new IllegalStateException(name + " did not come up (" + (process.isAlive() ? "timeout" : "exited "
            + process.exitValue()) + "); its log:\n" + log);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        started.close();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    return started;
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process's working directory. */
  public Path directory() {
    return directory;
  }

  /** What the process wrote so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void stop() {
    if (!process.isAlive() && !Files.exists(directory)) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteTree(directory);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is not worth failing a shutdown for
    }
  }
}
