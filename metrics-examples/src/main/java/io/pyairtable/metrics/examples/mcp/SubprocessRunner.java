package io.pyairtable.metrics.examples.mcp;

import io.pyairtable.metrics.McpServerMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs allow-listed commands ({@code ls}, {@code wc}, {@code head}, {@code sort}, {@code grep}) as
 * real OS processes in the sandbox, without a shell. Every path-like argument must stay inside the
 * sandbox. Each run is counted in {@code mcp_subprocess_creation_total{process_type,status}},
 * live processes in {@code mcp_subprocess_count{process_type}}, and the lifetime in
 * {@code mcp_subprocess_duration_seconds}. A process that outlives the timeout is killed; every
 * process is reaped before {@link #run} returns, and {@link #close} kills any still running.
 *
 * <pre>{@code
 * try (SubprocessRunner runner = new SubprocessRunner(sandbox, metrics, Duration.ofSeconds(10))) {
 *   SubprocessRunner.Result r = runner.run("wc", List.of("-l", "notes.txt"));
 * }
 * }</pre>
 */
public final class SubprocessRunner implements AutoCloseable {

  /** The commands a client may run. */
  public static final Set<String> ALLOWED_COMMANDS = Set.of("ls", "wc", "head", "sort", "grep");
  /** Output kept from a run, in bytes. */
  public static final int MAX_OUTPUT_BYTES = 64 * 1024;

  /** How a run ended: the exit code (-1 when killed), its output, and whether it timed out. */
  public record Result(int exitCode, String output, boolean timedOut, double seconds) {}

  private final Sandbox sandbox;
  private final McpServerMetrics mcp;
  private final Duration timeout;
  private final Map<Process, String> live = new ConcurrentHashMap<>();
  private final Map<String, Integer> liveByType = new ConcurrentHashMap<>();

  public SubprocessRunner(Sandbox sandbox, MetricsCollector collector, Duration timeout) {
    this.sandbox = sandbox;
    this.mcp = collector.mcpServer();
    this.timeout = timeout;
    for (String command : ALLOWED_COMMANDS) {
      mcp.updateSubprocessCount(command, 0);
    }
  }

  /** Runs {@code command} with {@code args} in the sandbox and waits for it (at most the timeout). */
  public Result run(String command, List<String> args) throws IOException, InterruptedException {
    if (!ALLOWED_COMMANDS.contains(command)) {
      throw new SecurityException("command not allowed: " + command + " (allowed: " + ALLOWED_COMMANDS + ")");
    }
    List<String> argv = new ArrayList<>();
    argv.add(command);
    for (String arg : args) {
      if (arg.startsWith("-")) {
        if (!arg.matches("-[A-Za-z0-9]+")) {
          throw new SecurityException("only simple flags are allowed: " + arg);
        }
        argv.add(arg);
      } else {
        sandbox.resolve(arg); // throws SecurityException when the argument leaves the sandbox
        argv.add(arg);
      }
    }
    Path output = Files.createTempFile("mcp-subprocess-", ".out");
    Process process = null;
    long start = System.nanoTime();
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).directory(sandbox.root().toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().keySet().retainAll(Set.of("PATH", "LANG", "LC_ALL"));
      try {
        process = builder.start();
      } catch (IOException e) {
        mcp.recordSubprocessCreation(command, false);
        throw e;
      }
      mcp.recordSubprocessCreation(command, true);
      track(process, command, +1);
      process.getOutputStream().close();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String text;
      try (InputStream in = Files.newInputStream(output)) {
        text = new String(in.readNBytes(MAX_OUTPUT_BYTES), StandardCharsets.UTF_8);
      }
      return new Result(exited ? process.exitValue() : -1, text, !exited, seconds);
    } finally {
      if (process != null) {
        if (process.isAlive()) {
          process.destroyForcibly();
          process.waitFor();
        }
        if (live.remove(process) != null) {
          track(process, command, -1);
          mcp.recordSubprocessDuration(command, (System.nanoTime() - start) / 1e9);
        }
      }
      Files.deleteIfExists(output);
    }
  }

  private void track(Process process, String command, int delta) {
    if (delta > 0) {
      live.put(process, command);
    }
    int now = liveByType.merge(command, delta, Integer::sum);
    mcp.updateSubprocessCount(command, Math.max(0, now));
  }

  /** Processes currently running. */
  public int liveProcesses() {
    return live.size();
  }

  /** Kills every process still running and waits for each to exit. */
  @Override
  public void close() {
    for (Process p : List.copyOf(live.keySet())) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
