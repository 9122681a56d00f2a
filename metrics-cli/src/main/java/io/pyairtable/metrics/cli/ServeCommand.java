package io.pyairtable.metrics.cli;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.config.EnvironmentSettings;
import io.pyairtable.metrics.examples.config.ServiceConfigBuilder;
import io.pyairtable.metrics.examples.emulator.GeminiEmulator;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.llm.LlmConfig;
import io.pyairtable.metrics.examples.llm.LlmOrchestratorService;
import io.pyairtable.metrics.examples.mcp.McpConfig;
import io.pyairtable.metrics.examples.mcp.McpServerService;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code serve SERVICE}: runs one of the four PyAirtable services, configured from the environment
 * the way its {@code fromEnvironment} reads it, so one image runs any of them (the Kubernetes
 * Deployments {@code export-configs} writes run {@code serve <service>}). It listens on
 * {@code --port} / {@code PORT} (else the service's own variable such as {@code LLM_PORT}, else its
 * catalogue port) and {@code --bind} / {@code HOST} (else 127.0.0.1), prints one {@code serving}
 * line with its URL, and on SIGTERM or Ctrl-C stops gracefully: it refuses new requests, lets the
 * requests in flight finish within the shutdown grace period, closes its clients and prints
 * {@code <service> stopped}, and exits 0: a stop that completed is a success (Kubernetes records the
 * container as {@code Completed}, not {@code Error}; a Job's pod counts as succeeded). It exits 1
 * when closing failed, and a second signal during the stop is ignored (Kubernetes' SIGKILL after
 * {@code terminationGracePeriodSeconds} still ends it).
 *
 * <pre>{@code
 * AIRTABLE_API_KEY=pat... REDIS_URL=redis://127.0.0.1:6379 bin/pyairtable-metrics serve airtable-gateway
 * PORT=8080 HOST=0.0.0.0 AIRTABLE_GATEWAY_URL=http://airtable-gateway:8002 bin/pyairtable-metrics serve api-gateway
 * }</pre>
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run one PyAirtable service (api-gateway, mcp-server, airtable-gateway, llm-orchestrator), "
        + "configured from the environment, until SIGTERM or Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SERVICE",
      description = "api-gateway, mcp-server, airtable-gateway or llm-orchestrator.")
  String service;

  @Option(names = "--port", description = "Port (default: PORT, else the service's own variable, else its catalogue "
      + "port: 8000 to 8003; 0 = a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address to listen on (default: HOST, else 127.0.0.1; 0.0.0.0 in a container).")
  String bind;

  @Spec
  CommandSpec spec;

  private final Map<String, String> env;

  /** Reads the process environment. */
  public ServeCommand() {
    this(System.getenv());
  }

  /** Reads {@code env} (tests). */
  ServeCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    EnvironmentSettings settings = new EnvironmentSettings(env);
    Optional<String> named = settings.string("SERVICE_NAME");
    if (named.isPresent() && !named.get().equals(service)) {
      err.println("serve: SERVICE_NAME=" + named.get() + " does not match the service to run, " + service);
      return 2;
    }
    Integer listenPort = port != null ? port : settings.port("PORT").orElse(null);
    String host = bind != null ? bind : settings.string("HOST").orElse(null);
    Running running;
    try {
      running = start(listenPort, host);
    } catch (MissingSetting e) {
      err.println("serve: " + e.getMessage());
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("serving " + service + " on http://" + (host == null ? "127.0.0.1" : host) + ":" + running.port()
        + " (health: /health, readiness: /health/ready, metrics: /metrics)");
    out.flush();
    // SIGTERM (Kubernetes' stop) and Ctrl-C end the wait; the stop runs here and the command returns 0 when it
    // completed (1 when closing failed). A shutdown hook still stops the service if the JVM exits another way.
    CountDownLatch stopRequested = new CountDownLatch(1);
    StopSignals.onTermOrInterrupt(stopRequested::countDown);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, stopping, out, err), service + "-stop"));
    stopRequested.await();
    return stop(running, stopping, out, err) ? 0 : 1;
  }

  /** Stops the service once (graceful drain, clients closed); false when closing failed. */
  private boolean stop(Running running, AtomicBoolean stopping, PrintWriter out, PrintWriter err) {
    if (!stopping.compareAndSet(false, true)) {
      return true;
    }
    try {
      running.service().close();
      out.println(service + " stopped");
      out.flush();
      return true;
    } catch (Exception e) {
      err.println("serve: " + service + " did not stop cleanly: " + e.getClass().getSimpleName());
      err.flush();
      return false;
    }
  }

  private Running start(Integer listenPort, String host) {
    if (service.equals(ServiceCatalog.API_GATEWAY.serviceName())) {
      ApiGatewayConfig.Builder b = listen(ApiGatewayConfig.fromEnvironment(env), listenPort, host);
      ApiGatewayService s = ApiGatewayService.start(b.build(), collector(ApiGatewayService.VERSION));
      return new Running(s, s.port());
    }
    if (service.equals(ServiceCatalog.AIRTABLE_GATEWAY.serviceName())) {
      AirtableGatewayConfig.Builder b = listen(AirtableGatewayConfig.fromEnvironment(env), listenPort, host);
      if (!b.hasUpstream()) {
        throw new MissingSetting("airtable-gateway needs AIRTABLE_API_KEY (and AIRTABLE_BASE_URL for an "
            + "Airtable-compatible upstream other than api.airtable.com)");
      }
      AirtableGatewayService s = AirtableGatewayService.start(b.build(), collector(AirtableGatewayService.VERSION));
      return new Running(s, s.port());
    }
    if (service.equals(ServiceCatalog.LLM_ORCHESTRATOR.serviceName())) {
      LlmConfig.Builder b = listen(LlmConfig.fromEnvironment(env), listenPort, host);
      // neither GEMINI_API_KEY nor GEMINI_BASE_URL: this command runs the loopback emulator as the upstream
      GeminiEmulator gemini = b.hasGeminiUpstream() ? null : GeminiEmulator.builder().build().start();
      try {
        if (gemini != null) {
          b.geminiBaseUrl(gemini.baseUrl());
        }
        LlmOrchestratorService s = LlmOrchestratorService.start(b.build(), collector(LlmOrchestratorService.VERSION));
        return new Running(gemini == null ? s : () -> {
          s.close();
          gemini.close();
        }, s.port());
      } catch (RuntimeException e) {
        if (gemini != null) {
          gemini.close();
        }
        throw e;
      }
    }
    if (service.equals(ServiceCatalog.MCP_SERVER.serviceName())) {
      McpConfig.Builder b = listen(McpConfig.fromEnvironment(env), listenPort, host);
      McpServerService s = McpServerService.start(b.build(), collector(McpServerService.VERSION));
      return new Running(s, s.port());
    }
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown service " + service
        + ": expected api-gateway, mcp-server, airtable-gateway or llm-orchestrator");
  }

  /** {@code --port} / {@code PORT} and {@code --bind} / {@code HOST}, when given, over what the service's variables say. */
  private static <B extends ServiceConfigBuilder<B>> B listen(B builder, Integer listenPort, String host) {
    if (listenPort != null) {
      builder.port(listenPort);
    }
    if (host != null) {
      builder.host(host);
    }
    return builder;
  }

  private MetricsCollector collector(String version) {
    return Metrics.builder(env).serviceName(service).version(version).initialize();
  }

  private record Running(AutoCloseable service, int port) {}

  /** A setting the service cannot start without. */
  private static final class MissingSetting extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingSetting(String message) {
      super(message);
    }
  }
}
