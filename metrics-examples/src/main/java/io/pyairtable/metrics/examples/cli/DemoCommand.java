package io.pyairtable.metrics.examples.cli;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.DemoOptions;
import io.pyairtable.metrics.examples.demo.RunningDemo;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts the four services, the emulators, Redis (from {@code REDIS_URL}, else a local
 * {@code redis-server} if installed) and the traffic generator; prints the URLs to open; stops
 * after {@code --duration} or on Ctrl-C (a shutdown hook stops everything cleanly).
 *
 * <pre>{@code
 * bin/pyairtable-metrics demo --duration 60s --base-port 9000 --with-prometheus
 * }</pre>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the four PyAirtable services with the Airtable and Gemini emulators and generated traffic.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--base-port", defaultValue = "" + ServiceCatalog.DEFAULT_BASE_PORT,
      description = "Port of the API gateway; mcp-server, airtable-gateway and llm-orchestrator follow it "
          + "(default: ${DEFAULT-VALUE}; 0 = free ports).")
  int basePort;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop by itself after this long (60s, 5m, 1h, or ISO-8601 PT1M); default: until Ctrl-C.")
  Duration duration;

  @Option(names = "--with-prometheus",
      description = "Also start a local Prometheus (if `prometheus` is on the PATH) with the generated config and rules.")
  boolean withPrometheus;

  @Option(names = "--redis-url", description = "Redis to use (default: REDIS_URL, else a local redis-server if installed).")
  String redisUrl;

  @Option(names = "--no-traffic", description = "Start the services without the traffic generator.")
  boolean noTraffic;

  @Override
  public Integer call() throws Exception {
    DemoOptions options = DemoOptions.builder().basePort(basePort).duration(duration).withPrometheus(withPrometheus)
        .redisUrl(redisUrl).traffic(!noTraffic).environment(System.getenv()).build();
    RunningDemo demo = Demo.start(options);
    Thread hook = new Thread(demo::close, "pyairtable-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    demo.awaitStop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C: the hook is running
    }
    System.out.println("demo stopped");
    return 0;
  }

  /** Parses {@code 60s}, {@code 5m}, {@code 1h}, {@code 500ms} or ISO-8601 ({@code PT1M}). */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("pt") || v.startsWith("p")) {
          return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> throw new CommandLine.TypeConversionException("unknown unit in " + value);
        };
      } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        throw new CommandLine.TypeConversionException("not a duration: " + value + " (try 60s, 5m, 1h)");
      }
    }
  }
}
