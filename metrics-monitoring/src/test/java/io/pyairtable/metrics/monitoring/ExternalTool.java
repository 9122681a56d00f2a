package io.pyairtable.metrics.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the installed Prometheus tools and returns its exit code and combined output. */
public final class ExternalTool {

  public record Result(int exitCode, String output) {}

  private ExternalTool() {}

  public static Result run(Path workDir, Map<String, String> env, List<String> command) throws IOException,
      InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  public static Result run(Path workDir, String... command) throws IOException, InterruptedException {
    return run(workDir, Map.of(), List.of(command));
  }
}
