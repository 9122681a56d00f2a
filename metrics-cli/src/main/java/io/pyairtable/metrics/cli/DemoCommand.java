package io.pyairtable.metrics.cli;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.demo.Demo;
import io.pyairtable.metrics.examples.demo.DemoOptions;
import io.pyairtable.metrics.examples.demo.RunningDemo;
import io.pyairtable.metrics.examples.shutdown.OrderedShutdown;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts the four services, the emulators, Redis (from {@code REDIS_URL}, else a local
 * {@code redis-server} if installed), optionally Prometheus and Alertmanager, and the traffic
 * generator with its scripted incident; prints every URL and the next steps; stops after
 * {@code --duration} or on Ctrl-C / SIGTERM: one shutdown hook runs the demo's ordered shutdown
 * (traffic, then the services draining in-flight requests within 10 s, then the helpers), also
 * when the signal comes during start-up.
 *
 * <pre>{@code
 * bin/pyairtable-metrics demo --with-alertmanager
 * bin/pyairtable-metrics demo --duration 60s --base-port 9000 --bind 0.0.0.0 --no-incident
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

  @Option(names = "--with-alertmanager",
      description = "Also start a local Alertmanager (prometheus-alertmanager) fed by the local Prometheus (implies "
          + "--with-prometheus); notifications are printed here unless --alert-webhook is given.")
  boolean withAlertmanager;

  @Option(names = "--alert-webhook", paramLabel = "URL",
      description = "Send notifications to this Slack-compatible incoming webhook instead of the console "
          + "(default: ALERT_WEBHOOK_URL from the environment).")
  String alertWebhook;

  @Option(names = "--no-incident",
      description = "Leave out the scripted incident (the Airtable upstream failing from 20 s to 80 s).")
  boolean noIncident;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address the four services listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces).")
  String bind;

  @Option(names = "--airtable-emulator-port", defaultValue = "0",
      description = "Port of the Airtable emulator (default: a free one).")
  int airtableEmulatorPort;

  @Option(names = "--gemini-emulator-port", defaultValue = "0",
      description = "Port of the Gemini emulator (default: a free one).")
  int geminiEmulatorPort;

  @Option(names = "--redis-port", defaultValue = "0",
      description = "Port of the helper redis-server the demo starts when no Redis URL is given (default: a free one).")
  int redisPort;

  @Option(names = "--redis-url", description = "Redis to use (default: REDIS_URL, else a local redis-server if installed).")
  String redisUrl;

  @Option(names = "--redis-cluster-nodes", paramLabel = "HOST:PORT,...",
      description = "A Redis Cluster (seed nodes) for the Airtable gateway's shared rate limit, cache and readiness "
          + "(default: REDIS_CLUSTER_NODES); no local redis-server is started for it.")
  String redisClusterNodes;

  @Option(names = "--no-traffic", description = "Start the services without the traffic generator.")
  boolean noTraffic;

  @Override
  public Integer call() throws Exception {
    String webhook = alertWebhook != null ? alertWebhook : System.getenv("ALERT_WEBHOOK_URL");
    DemoOptions options = DemoOptions.builder().basePort(basePort).duration(duration).withPrometheus(withPrometheus)
        .withAlertmanager(withAlertmanager).alertWebhook(webhook == null || webhook.isBlank() ? null : webhook)
        .incident(!noIncident).bind(bind).airtableEmulatorPort(airtableEmulatorPort)
        .geminiEmulatorPort(geminiEmulatorPort).redisPort(redisPort)
        .redisUrl(redisUrl).redisClusterNodes(redisClusterNodes).traffic(!noTraffic).environment(System.getenv()).build();
    OrderedShutdown shutdown = new OrderedShutdown(OrderedShutdown.DEFAULT_GRACE).installHook();
    RunningDemo demo = Demo.start(options, shutdown);
    demo.awaitStop();
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
