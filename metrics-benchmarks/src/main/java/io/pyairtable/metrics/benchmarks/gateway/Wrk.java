package io.pyairtable.metrics.benchmarks.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (closed loop, {@code --latency}) against one URL and reads its summary.
 *
 * <pre>{@code
 * Wrk.Result r = Wrk.run(url, "X-API-Key: key", 2, 16, 10);
 * r.requestsPerSecond(); r.p99Micros();
 * }</pre>
 */
public final class Wrk {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)\\b");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)\\b");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  /** What one wrk run measured. */
  public record Result(double requestsPerSecond, long requests, double p50Micros, double p99Micros, long failures,
      String output) {}

  /** {@code wrk -t threads -c connections -d seconds --latency -H header url}. */
  public static Result run(String url, String header, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", "-H", header, url));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk did not end");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed (" + p.exitValue() + "): " + out);
    }
    return parse(out);
  }

  /** Reads wrk's summary. */
  static Result parse(String out) {
    long failures = 0;
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      failures += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(out);
    if (socket.find()) {
      for (int i = 1; i <= 4; i++) {
        failures += Long.parseLong(socket.group(i));
      }
    }
    return new Result(Double.parseDouble(find(RPS, out).group(1)), Long.parseLong(find(TOTAL, out).group(1)),
        micros(find(P50, out)), micros(find(P99, out)), failures, out);
  }

  private static Matcher find(Pattern p, String out) {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + p + " in wrk's output: " + out);
    }
    return m;
  }

  private static double micros(Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v;
      case "ms" -> v * 1_000;
      default -> v * 1_000_000;
    };
  }
}
