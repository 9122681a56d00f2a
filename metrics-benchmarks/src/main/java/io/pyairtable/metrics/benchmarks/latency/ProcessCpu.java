package io.pyairtable.metrics.benchmarks.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time another process has used so far (user + system, all its threads), read from
 * Linux's {@code /proc/<pid>/stat}, for a server's CPU per request over a load run. Ticks are
 * assumed to be 1/100 s (Linux's {@code USER_HZ} on every common platform).
 *
 * <pre>{@code
 * ProcessCpu server = new ProcessCpu(12345);
 * double before = server.seconds();
 * // ... a run of n requests ...
 * double microsPerRequest = (server.seconds() - before) * 1e6 / n;
 * }</pre>
 */
public final class ProcessCpu {

  private static final double TICKS_PER_SECOND = 100;

  private final Path stat;

  public ProcessCpu(long pid) {
    this.stat = Path.of("/proc", Long.toString(pid), "stat");
  }

  /** utime + stime of the process in seconds, or NaN when it cannot be read (not Linux, process gone). */
  public double seconds() {
    try {
      String s = Files.readString(stat);
      String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
