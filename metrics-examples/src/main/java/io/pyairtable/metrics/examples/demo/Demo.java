package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.MetricsConfig;
import io.pyairtable.metrics.SecretMask;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.emulator.GeminiEmulator;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.llm.LlmConfig;
import io.pyairtable.metrics.examples.llm.LlmOrchestratorService;
import io.pyairtable.metrics.examples.mcp.McpConfig;
import io.pyairtable.metrics.examples.mcp.McpServerService;
import io.pyairtable.metrics.examples.shutdown.OrderedShutdown;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command demo: starts the Airtable and Gemini emulators, Redis (from the options or
 * {@code REDIS_URL}, else a local {@code redis-server} when installed, else none), the four
 * services on their catalogue ports (api-gateway, mcp-server, airtable-gateway, llm-orchestrator;
 * {@code basePort} moves them, 0 gives free ports) on the bind address, optionally a local
 * Prometheus and Alertmanager (notifications printed by the {@link AlertConsole} or sent to a
 * Slack-compatible webhook), and the traffic generator with its scripted incident; prints every
 * URL it started and the next steps.
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
    return start(options, new OrderedShutdown(OrderedShutdown.DEFAULT_GRACE));
  }

  /**
   * Starts everything, registering each part with {@code shutdown} as it starts (so a shutdown
   * during start-up stops what is running): the traffic as a client, the four services, and
   * Redis, the emulators, Prometheus and Alertmanager as helpers stopped after the services. On a
   * failure, stops what was started and rethrows.
   */
  public static RunningDemo start(DemoOptions options, OrderedShutdown shutdown) {
    try {
      return startAll(options, shutdown);
    } catch (RuntimeException e) {
      shutdown.close();
      throw e;
    }
  }

  private static RunningDemo startAll(DemoOptions options, OrderedShutdown shutdown) {
    RunningDemo.Stopped stopped = new RunningDemo.Stopped();
    shutdown.helper("demo", stopped);
    PrintStream out = options.out();
    Map<String, String> env = options.environment();
    long t0 = System.nanoTime();

    String redisUrl = options.redisUrl().orElse(null);
    String clusterNodes = options.redisClusterNodes().orElse(null);
    if (redisUrl == null && clusterNodes == null && options.startLocalRedis()) {
      Optional<LocalRedis> local = LocalRedis.startIfInstalled(options.redisPort());
      if (local.isPresent()) {
        shutdown.helper("redis-server", local.get());
        redisUrl = local.get().url();
      }
    }

    LOG.debug("demo: {} ready after {} ms", "redis", (System.nanoTime() - t0) / 1_000_000);
    Map<ServiceCatalog, Integer> ports = new LinkedHashMap<>();
    String bind = options.bind();
    String host = connectHost(bind);
    // every service reads the environment itself; the demo only sets where it listens, its peers,
    // and the upstreams the environment leaves open: its own emulators
    AirtableGatewayConfig.Builder airtableConfig = AirtableGatewayConfig.fromEnvironment(env)
        .host(bind).port(options.port(ServiceCatalog.AIRTABLE_GATEWAY)).breaker(5, Duration.ofSeconds(10))
        .redisUrl(redisUrl).redisClusterNodes(clusterNodes);
    boolean realAirtable = airtableConfig.hasUpstream();
    AirtableEmulator emulator = null;
    if (!realAirtable) {
      emulator = AirtableEmulator.builder().port(options.airtableEmulatorPort()).build().start();
      shutdown.helper("airtable emulator", emulator);
      emulator.seedSampleRecords(READ_BASE, READ_TABLE, 250);
      emulator.seedSampleRecords(WRITE_BASE, WRITE_TABLE, 40);
      airtableConfig.upstream(URI.create(emulator.baseUrl()), emulator.apiKey());
    }
    LlmConfig.Builder llmConfig = LlmConfig.fromEnvironment(env).host(bind)
        .port(options.port(ServiceCatalog.LLM_ORCHESTRATOR));
    GeminiEmulator gemini = null;
    if (!llmConfig.hasGeminiUpstream()) {
      gemini = GeminiEmulator.builder().port(options.geminiEmulatorPort()).build().start();
      shutdown.helper("gemini emulator", gemini);
      llmConfig.geminiBaseUrl(gemini.baseUrl());
    }

    LOG.debug("demo: {} ready after {} ms", "emulators", (System.nanoTime() - t0) / 1_000_000);
    AirtableGatewayService airtable = AirtableGatewayService.start(airtableConfig.build(),
        collector(env, AirtableGatewayService.SERVICE_NAME, AirtableGatewayService.VERSION, redisUrl));
    shutdown.service(AirtableGatewayService.SERVICE_NAME, airtable);
    ports.put(ServiceCatalog.AIRTABLE_GATEWAY, airtable.port());

    LOG.debug("demo: {} ready after {} ms", "airtable-gateway", (System.nanoTime() - t0) / 1_000_000);
    LlmOrchestratorService llm = LlmOrchestratorService.start(llmConfig.build(),
        collector(env, ServiceCatalog.LLM_ORCHESTRATOR.serviceName(), LlmOrchestratorService.VERSION, redisUrl));
    shutdown.service(ServiceCatalog.LLM_ORCHESTRATOR.serviceName(), llm);
    ports.put(ServiceCatalog.LLM_ORCHESTRATOR, llm.port());

    LOG.debug("demo: {} ready after {} ms", "llm-orchestrator", (System.nanoTime() - t0) / 1_000_000);
    McpServerService mcp = McpServerService.start(McpConfig.fromEnvironment(env).host(bind)
        .port(options.port(ServiceCatalog.MCP_SERVER)).airtableGatewayUrl(airtable.baseUrl()).build(),
        collector(env, ServiceCatalog.MCP_SERVER.serviceName(), McpServerService.VERSION, redisUrl));
    shutdown.service(ServiceCatalog.MCP_SERVER.serviceName(), mcp);
    ports.put(ServiceCatalog.MCP_SERVER, mcp.port());
    LOG.debug("demo: {} ready after {} ms", "mcp-server", (System.nanoTime() - t0) / 1_000_000);
    ApiGatewayConfig gatewayConfig = ApiGatewayConfig.fromEnvironment(env)
        .host(bind).port(options.port(ServiceCatalog.API_GATEWAY))
        .backends(URI.create(serviceUrl(host, airtable.port())), URI.create(serviceUrl(host, mcp.port())),
            URI.create(serviceUrl(host, llm.port())))
        .healthInterval(Duration.ofSeconds(5)).breaker(5, Duration.ofSeconds(10)).build();
    List<String> keys = gatewayConfig.apiKeys();
    ApiGatewayService gateway = ApiGatewayService.start(gatewayConfig,
        collector(env, ApiGatewayService.SERVICE_NAME, ApiGatewayService.VERSION, redisUrl));
    shutdown.service(ApiGatewayService.SERVICE_NAME, gateway);
    ports.put(ServiceCatalog.API_GATEWAY, gateway.port());

    LOG.debug("demo: {} ready after {} ms", "api-gateway", (System.nanoTime() - t0) / 1_000_000);
    DemoMonitoring monitoring = startMonitoring(options, host, ports, shutdown);

    DemoTraffic traffic = null;
    if (options.traffic()) {
      AirtableEmulator faults = emulator;
      traffic = new DemoTraffic(new DemoTraffic.Target(serviceUrl(host, gateway.port()), keys.get(0),
          serviceUrl(host, airtable.port()),
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
          }, new McpDemoSession(serviceUrl(host, gateway.port()), keys.get(0), READ_BASE, READ_TABLE)),
          Duration.ofSeconds(12), options.incident())
          .start();
      shutdown.client("traffic", traffic);
    }

    RunningDemo demo = new RunningDemo(host, ports, emulator, gemini == null ? null : gemini.baseUrl(), redisUrl,
        monitoring, keys.get(0), traffic, shutdown, stopped);
    options.duration().ifPresent(d -> stopAfter(demo, d, shutdown));
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

  private static void stopAfter(RunningDemo demo, Duration duration, OrderedShutdown shutdown) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-duration");
      t.setDaemon(true);
      return t;
    });
    timer.schedule(demo::close, duration.toMillis(), TimeUnit.MILLISECONDS);
    // shutdown(), not shutdownNow(): the timer's own thread may be the one running the shutdown
    shutdown.client("duration timer", timer::shutdown);
  }

  /** Alertmanager first (Prometheus sends to it), then Prometheus; each only when installed. */
  private static DemoMonitoring startMonitoring(DemoOptions options, String host, Map<ServiceCatalog, Integer> ports,
      OrderedShutdown shutdown) {
    if (!options.withPrometheus()) {
      return DemoMonitoring.NONE;
    }
    PrintStream out = options.out();
    AlertConsole console = null;
    LocalAlertmanager alertmanager = null;
    if (options.withAlertmanager()) {
      if (options.alertWebhook().isEmpty()) {
        console = AlertConsole.start(out);
        shutdown.helper("alert console", console);
      }
      Optional<LocalAlertmanager> am = LocalAlertmanager.startIfInstalled(options.alertWebhook().orElse(null),
          console == null ? null : console.url(), LocalAlertmanager.DEMO_TIMING);
      if (am.isPresent()) {
        alertmanager = am.get();
        shutdown.helper("alertmanager", alertmanager);
      } else {
        out.println("--with-alertmanager: no `prometheus-alertmanager` or `alertmanager` on the PATH "
            + "(apt-get install prometheus-alertmanager); running without it");
      }
    }
    Optional<LocalPrometheus> prometheus = LocalPrometheus.startIfInstalled(host, ports,
        alertmanager == null ? null : alertmanager.hostPort(), LocalAlertmanager.DEMO_TIMING);
    if (prometheus.isEmpty()) {
      out.println("--with-prometheus: no `prometheus` on the PATH; running without it");
      return new DemoMonitoring(null, null, alertmanager == null ? null : alertmanager.url(), console);
    }
    shutdown.helper("prometheus", prometheus.get());
    return new DemoMonitoring(prometheus.get().url(), prometheus.get().dashboards(),
        alertmanager == null ? null : alertmanager.url(), console);
  }

  /** The address clients use for services bound to {@code bind}: loopback for a wildcard bind. */
  static String connectHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") ? "127.0.0.1" : bind;
  }

  private static String serviceUrl(String host, int port) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
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
    Optional<String> cluster = options.redisClusterNodes();
    cluster.ifPresent(nodes -> out.println("  Redis Cluster     " + nodes
        + "   (the Airtable gateway's shared rate limit, response cache and readiness)"));
    if (cluster.isEmpty() || demo.redisUrl().isPresent()) {
      out.println("  Redis             " + demo.redisUrl().map(SecretMask::url).orElse(
          "none: no REDIS_URL and no redis-server on the PATH; the cache is Caffeine, the rate limiter in-process, "
              + "and the redis_* families stay empty"));
    }
    out.println("  Gemini upstream   " + demo.geminiEmulatorUrl().map(u -> "the loopback emulator " + u)
        .orElse("as configured by GEMINI_API_KEY / GEMINI_BASE_URL"));
    DemoMonitoring m = demo.monitoring();
    demo.prometheusUrl().ifPresent(u -> {
      out.println("  Prometheus        " + u + "   (targets: " + u + "/targets, rules: " + u + "/rules)");
    });
    m.alertmanager().ifPresent(u -> out.println("  Alertmanager      " + u + "   (notifications: "
        + (m.alertConsole().isPresent() ? "printed here as 'ALERT FIRING' / 'ALERT RESOLVED' lines"
            : "sent to the --alert-webhook URL") + ")"));
    out.println("  traffic           " + (!options.traffic() ? "off" : options.incident()
        ? "on; scripted incident: the Airtable upstream fails from " + DemoTraffic.INCIDENT_START.toSeconds()
            + " s to " + DemoTraffic.INCIDENT_START.plus(DemoTraffic.INCIDENT_LENGTH).toSeconds()
            + " s (--no-incident to skip); 6 s fault windows every 90 s from a minute after it"
        : "on (upstream faults from 12 s for 6 s, every 90 s)"));
    out.println("  stop              " + options.duration().map(d -> "after " + d.toSeconds() + " s, or Ctrl-C")
        .orElse("Ctrl-C"));
    printNextSteps(out, demo, options);
    out.println();
  }

  private static void printNextSteps(PrintStream out, RunningDemo demo, DemoOptions options) {
    DemoMonitoring m = demo.monitoring();
    List<String> steps = new ArrayList<>();
    if (m.prometheus().isEmpty()) {
      steps.add("see alerts fire and resolve: bin/pyairtable-metrics demo --with-alertmanager");
    } else {
      steps.add("alerts in Prometheus:    " + m.prometheusUrl() + "/alerts"
          + (options.traffic() && options.incident() ? "   (the scripted incident fires CircuitBreakerOpen about "
              + "a minute in; it resolves soon after the incident ends)" : ""));
    }
    m.alertmanager().ifPresent(u -> steps.add("alerts in Alertmanager:  " + u + "/#/alerts"));
    m.dashboardDirectory().ifPresent(d -> steps.add("dashboards (this run):   " + d + " (deleted when the demo stops)"));
    int basePort = demo.ports().get(ServiceCatalog.API_GATEWAY);
    String export = "bin/pyairtable-metrics export-configs"
        + (basePort == ServiceCatalog.DEFAULT_BASE_PORT ? "" : " --base-port " + basePort)
        + (demo.host().equals("127.0.0.1") ? "" : " --targets-host " + demo.host()) + " monitoring";
    steps.add("dashboards in Grafana:   " + export + " && cd monitoring && "
        + "GRAFANA_ADMIN_PASSWORD=choose-one docker-compose -f docker-compose.monitoring.yml up -d"
        + "   then http://127.0.0.1:3000 (admin / choose-one)");
    out.println();
    out.println("Next steps");
    for (int i = 0; i < steps.size(); i++) {
      out.println("  " + (i + 1) + ". " + steps.get(i));
    }
  }

}
