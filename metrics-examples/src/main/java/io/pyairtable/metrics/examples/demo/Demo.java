package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.SecretMask;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.llm.LlmConfig;
import io.pyairtable.metrics.examples.llm.LlmOrchestratorService;
import io.pyairtable.metrics.examples.mcp.McpConfig;
import io.pyairtable.metrics.examples.mcp.McpServerService;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command demo: starts the Airtable emulator, Redis (from the options or
 * {@code REDIS_URL}, else a local {@code redis-server} when installed, else none), the four
 * services on their catalogue ports (api-gateway, mcp-server, airtable-gateway, llm-orchestrator;
 * {@code basePort} moves them, 0 gives free ports), optionally a local Prometheus, and the traffic
 * generator; prints the URLs to open. The LLM orchestrator starts its own Gemini emulator.
 *
 * <pre>{@code
 * try (RunningDemo demo = Demo.start(DemoOptions.builder().basePort(0).environment(Map.of()).build())) {
 *   HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(demo.metricsUrl(ServiceCatalog.API_GATEWAY))).build(),
 *       HttpResponse.BodyHandlers.ofString());
 * }
 * }</pre>
 */
public final class Demo {

  /** The base the traffic generator reads from (250 customers). */
  public static final String READ_BASE = "appDemoBaseAlpha1";
  public static final String READ_TABLE = "Customers";
  /** The base the traffic generator writes to. */
  public static final String WRITE_BASE = "appDemoBaseBravo2";
  public static final String WRITE_TABLE = "Projects";

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  private Demo() {}

  /** Starts everything; on a failure, stops what was started and rethrows. */
  public static RunningDemo start(DemoOptions options) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      return start(options, started);
    } catch (RuntimeException e) {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static RunningDemo start(DemoOptions options, Deque<AutoCloseable> started) {
    PrintStream out = options.out();
    Map<String, String> env = options.environment();
    long t0 = System.nanoTime();

    String redisUrl = options.redisUrl().orElse(null);
    if (redisUrl == null && options.startLocalRedis()) {
      Optional<LocalRedis> local = LocalRedis.startIfInstalled();
      if (local.isPresent()) {
        started.push(local.get());
        redisUrl = local.get().url();
      }
    }

    LOG.debug("demo: {} ready after {} ms", "redis", (System.nanoTime() - t0) / 1_000_000);
    boolean realAirtable = env.get("AIRTABLE_API_KEY") != null && !env.get("AIRTABLE_API_KEY").isBlank();
    AirtableEmulator emulator = null;
    if (!realAirtable) {
      emulator = AirtableEmulator.builder().build().start();
      started.push(emulator);
      emulator.seedSampleRecords(READ_BASE, READ_TABLE, 250);
      emulator.seedSampleRecords(WRITE_BASE, WRITE_TABLE, 40);
    }

    LOG.debug("demo: {} ready after {} ms", "airtable emulator", (System.nanoTime() - t0) / 1_000_000);
    Map<ServiceCatalog, Integer> ports = new EnumMap<>(ServiceCatalog.class);
    AirtableGatewayConfig.Builder airtableConfig = AirtableGatewayConfig.fromEnvironment(env,
        emulator == null ? null : URI.create(emulator.baseUrl()), emulator == null ? null : emulator.apiKey())
        .port(options.port(ServiceCatalog.AIRTABLE_GATEWAY)).breaker(5, Duration.ofSeconds(10));
    airtableConfig.redisUrl(redisUrl);
    AirtableGatewayService airtable = AirtableGatewayService.start(airtableConfig.build(),
        collector(env, AirtableGatewayService.SERVICE_NAME, AirtableGatewayService.VERSION, redisUrl));
    started.push(airtable);
    ports.put(ServiceCatalog.AIRTABLE_GATEWAY, airtable.port());

    LOG.debug("demo: {} ready after {} ms", "airtable-gateway", (System.nanoTime() - t0) / 1_000_000);
    LlmConfig fromEnv = LlmConfig.fromEnvironment(env);
    LlmOrchestratorService llm = LlmOrchestratorService.start(LlmConfig.builder()
        .port(options.port(ServiceCatalog.LLM_ORCHESTRATOR))
        .geminiApiKey(fromEnv.geminiApiKey()).geminiBaseUrl(fromEnv.geminiBaseUrl()).model(fromEnv.model())
        .jdbcUrl(fromEnv.jdbcUrl()).jdbcUser(fromEnv.jdbcUser()).jdbcPassword(fromEnv.jdbcPassword())
        .priceTablePath(fromEnv.priceTablePath())
        .collector(collector(env, ServiceCatalog.LLM_ORCHESTRATOR.serviceName(), LlmOrchestratorService.VERSION,
            redisUrl))
        .build());
    started.push(llm);
    ports.put(ServiceCatalog.LLM_ORCHESTRATOR, llm.port());

    LOG.debug("demo: {} ready after {} ms", "llm-orchestrator", (System.nanoTime() - t0) / 1_000_000);
    McpConfig mcpFromEnv = McpConfig.fromEnvironment(env);
    McpServerService mcp = McpServerService.start(McpConfig.builder()
        .port(options.port(ServiceCatalog.MCP_SERVER))
        .sandbox(mcpFromEnv.sandbox())
        .airtableGatewayUrl(airtable.baseUrl())
        .commandTimeout(mcpFromEnv.commandTimeout())
        .collector(collector(env, ServiceCatalog.MCP_SERVER.serviceName(), McpServerService.VERSION, redisUrl))
        .build());
    started.push(mcp);
    ports.put(ServiceCatalog.MCP_SERVER, mcp.port());
    LOG.debug("demo: {} ready after {} ms", "mcp-server", (System.nanoTime() - t0) / 1_000_000);
    List<String> keys = ApiGatewayConfig.apiKeysFrom(env);
    ApiGatewayService gateway = ApiGatewayService.start(ApiGatewayConfig.builder()
        .port(options.port(ServiceCatalog.API_GATEWAY))
        .backends(URI.create(airtable.baseUrl()), URI.create("http://127.0.0.1:" + ports.get(ServiceCatalog.MCP_SERVER)),
            URI.create("http://127.0.0.1:" + llm.port()))
        .apiKeys(keys).healthInterval(Duration.ofSeconds(5)).breaker(5, Duration.ofSeconds(10)).build(),
        collector(env, ApiGatewayService.SERVICE_NAME, ApiGatewayService.VERSION, redisUrl));
    started.push(gateway);
    ports.put(ServiceCatalog.API_GATEWAY, gateway.port());

    LOG.debug("demo: {} ready after {} ms", "api-gateway", (System.nanoTime() - t0) / 1_000_000);
    String prometheusUrl = null;
    if (options.withPrometheus()) {
      Optional<LocalPrometheus> prometheus = LocalPrometheus.startIfInstalled(ports);
      if (prometheus.isPresent()) {
        started.push(prometheus.get());
        prometheusUrl = prometheus.get().url();
      } else {
        out.println("--with-prometheus: no `prometheus` on the PATH; running without it");
      }
    }

    DemoTraffic traffic = null;
    if (options.traffic()) {
      AirtableEmulator faults = emulator;
      traffic = new DemoTraffic(new DemoTraffic.Target(gateway.baseUrl(), keys.get(0), airtable.baseUrl(),
          env.getOrDefault("AIRTABLE_DEMO_READ_BASE", READ_BASE), env.getOrDefault("AIRTABLE_DEMO_READ_TABLE", READ_TABLE),
          env.getOrDefault("AIRTABLE_DEMO_WRITE_BASE", WRITE_BASE),
          env.getOrDefault("AIRTABLE_DEMO_WRITE_TABLE", WRITE_TABLE),
          faults == null ? null : new DemoTraffic.Faults() {
            @Override
            public void failAll() {
              faults.injectFault(AirtableEmulator.Fault.SERVICE_UNAVAILABLE, 1.0);
            }

            @Override
            public void clear() {
              faults.clearFault();
            }
          }, new McpDemoSession(gateway.baseUrl(), keys.get(0), READ_BASE, READ_TABLE)), Duration.ofSeconds(12))
          .start();
      started.push(traffic);
    }

    RunningDemo demo = new RunningDemo(ports, emulator, redisUrl, prometheusUrl, keys.get(0), traffic, started);
    options.duration().ifPresent(d -> stopAfter(demo, d, started));
    printUrls(out, demo, options, realAirtable);
    return demo;
  }

  private static MetricsCollector collector(Map<String, String> env, String service, String version, String redisUrl) {
    Metrics.Builder b = Metrics.builder(env).serviceName(service).version(version);
    if (redisUrl != null) {
      b.redisUrl(redisUrl);
    }
    return b.initialize();
  }

  private static void stopAfter(RunningDemo demo, Duration duration, Deque<AutoCloseable> started) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-duration");
      t.setDaemon(true);
      return t;
    });
    timer.schedule(demo::close, duration.toMillis(), TimeUnit.MILLISECONDS);
    started.push(timer::shutdownNow);
  }

  private static void printUrls(PrintStream out, RunningDemo demo, DemoOptions options, boolean realAirtable) {
    out.println();
    out.println("PyAirtable Metrics demo is running");
    for (ServiceCatalog s : ServiceCatalog.all()) {
      if (demo.ports().containsKey(s)) {
        out.printf("  %-17s %s   metrics: %s%n", s.serviceName(), demo.baseUrl(s), demo.metricsUrl(s));
      }
    }
    // only the public demo key is printed whole; a key of the operator's own is masked
    boolean demoKey = ApiGatewayConfig.DEMO_API_KEY.equals(demo.apiKey());
    out.println("  API key           " + (demoKey ? demo.apiKey() : SecretMask.key(demo.apiKey()) + " (from API_GATEWAY_KEYS)")
        + "   (X-API-Key header on /api/**)");
    out.println("  try               curl -H 'X-API-Key: " + (demoKey ? demo.apiKey() : "<your key>") + "' "
        + demo.baseUrl(ServiceCatalog.API_GATEWAY) + "/api/airtable/bases/" + READ_BASE + "/tables/" + READ_TABLE
        + "/records?pageSize=3");
    out.println("  backends' health  " + demo.baseUrl(ServiceCatalog.API_GATEWAY) + ApiGatewayService.BACKENDS_PATH);
    out.println("  Airtable upstream " + (realAirtable ? "the real Airtable API (AIRTABLE_API_KEY is set)"
        : "the loopback emulator " + demo.airtableEmulator().map(AirtableEmulator::baseUrl).orElse("")));
    out.println("  Redis             " + demo.redisUrl().map(SecretMask::url).orElse(
        "none: no REDIS_URL and no redis-server on the PATH; the cache is Caffeine, the rate limiter in-process, "
            + "and the redis_* families stay empty"));
    demo.prometheusUrl().ifPresent(u -> {
      out.println("  Prometheus        " + u + "   (targets: " + u + "/targets, rules: " + u + "/rules)");
    });
    out.println("  traffic           " + (options.traffic() ? "on (upstream faults from 12 s for 6 s, every 90 s)" : "off"));
    out.println("  stop              " + options.duration().map(d -> "after " + d.toSeconds() + " s, or Ctrl-C")
        .orElse("Ctrl-C"));
    out.println();
  }
}
