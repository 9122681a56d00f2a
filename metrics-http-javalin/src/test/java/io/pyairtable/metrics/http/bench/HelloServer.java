package io.pyairtable.metrics.http.bench;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.AccessLogWriter;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.javalin.JavalinMetricsPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.AsyncRequestLogWriter;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.util.BlockingArrayQueue;

/**
 * The wrk benchmark's target (not a test, not shipped): four Javalin apps in one JVM on loopback,
 * the same {@code GET /hello} on each: bare; chain, the full chain (correlation id, metrics,
 * access log, error handling) with the access log written to a file by {@link AccessLogWriter}
 * (JSON, the defaults; the file is the first argument, emptied at start; an optional second
 * argument sets the writer's linger in ms); nolog, the chain minus
 * the access log; slf4j, the full chain with the access log through SLF4J (logback, as configured
 * by {@code -Dlogback.configurationFile}); and, started only when asked for, jettylog (bare with Jetty's own
 * request log to a file, a reference for the access log's cost) and the chain in parts: wrap
 * (the plugin with every feature off), corr (the correlation id alone), metrics (the metrics alone), log (the
 * file access log alone). Prints
 * {@code bare=<port> chain=<port> nolog=<port> slf4j=<port>} and serves until killed; each chain
 * app serves its {@code /metrics}. {@code -Dbench.apps=chain} (a comma-separated list) starts only
 * those apps, so the JVM's JIT compiles for one app, as in a service. Run by {@code bench/run_wrk.py} and
 * {@code metrics-benchmarks/bench/run_latency.py}.
 *
 * <pre>{@code
 * java -cp ... io.pyairtable.metrics.http.bench.HelloServer target/bench-access.json
 * }</pre>
 */
public final class HelloServer {

  private HelloServer() {}

  public static void main(String[] args) throws InterruptedException {
    try {
      serve(args);
    } catch (RuntimeException | LinkageError | IOException e) {
      // an app already started would keep the JVM alive and the harness waiting for the ports line
      e.printStackTrace();
      System.exit(1);
    }
    Thread.currentThread().join();
  }

  private static void serve(String[] args) throws IOException {
    Path accessLog = Path.of(args.length > 0 ? args[0] : "target/bench-access.json");
    // -Dbench.apps=chain: only these apps, so a JVM's JIT sees one app as in production (default: all four)
    Set<String> apps = Set.of(System.getProperty("bench.apps", "bare,chain,nolog,slf4j").split(","));
    AccessLogWriter writer = null;
    if (apps.contains("chain")) {
      Files.deleteIfExists(accessLog);
      AccessLogWriter.Builder log = AccessLogWriter.builder(accessLog);
      if (args.length > 1) { // the writer's linger in ms (default: the writer's own)
        log.linger(Duration.ofNanos(Math.round(Double.parseDouble(args[1]) * 1e6)));
      }
      writer = log.build();
    }
    AccessLogWriter fileLog = writer;
    StringBuilder ports = new StringBuilder();
    if (apps.contains("bare")) {
      ports.append(" bare=").append(hello(null));
    }
    if (apps.contains("chain")) {
      MetricsCollector collector = collector("bench");
      ports.append(" chain=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.options(MiddlewareOptions.builder()
          .metricsCollector(collector).accessLog(fileLog).build()))));
    }
    if (apps.contains("nolog")) {
      MetricsCollector collector = collector("bench2");
      ports.append(" nolog=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.collector(collector)
          .options(o -> o.enableRequestLogging(false)))));
    }
    // the chain in parts, to split its cost: wrap, the plugin with every feature off (the Jetty handler,
    // its request and response wrappers, the route hand-over); corr, the correlation id alone (id, MDC, header);
    // metrics, the metrics alone; log, the file access log alone
    if (apps.contains("wrap")) {
      ports.append(" wrap=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.options(o -> o.enableCorrelationId(false)
          .enableMetrics(false).enableRequestLogging(false).enableErrorHandling(false).exposeMetricsEndpoint(false)))));
    }
    if (apps.contains("corr")) {
      ports.append(" corr=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.options(o -> o.enableMetrics(false)
          .enableRequestLogging(false).exposeMetricsEndpoint(false)))));
    }
    if (apps.contains("metrics")) {
      MetricsCollector collector = collector("bench4");
      ports.append(" metrics=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.collector(collector)
          .options(o -> o.enableCorrelationId(false).enableRequestLogging(false)))));
    }
    if (apps.contains("log")) { // the access log alone, to a file of its own (the harness counts its lines)
      Path logFile = accessLog.resolveSibling("bench-log-access.json");
      Files.deleteIfExists(logFile);
      AccessLogWriter logAlone = AccessLogWriter.builder(logFile).build();
      ports.append(" log=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.options(o -> o.enableCorrelationId(false)
          .enableMetrics(false).accessLog(logAlone).exposeMetricsEndpoint(false)))));
    }
    // a reference, not the chain: bare plus Jetty's own request log (CustomRequestLog, AsyncRequestLogWriter) to a
    // file, about the same fields as the chain's JSON line (no correlation id), its queue as large as ours
    if (apps.contains("jettylog")) {
      Path jettyLog = accessLog.resolveSibling("bench-jetty-access.log");
      Files.deleteIfExists(jettyLog);
      ports.append(" jettylog=").append(helloWithJettyLog(jettyLog));
    }
    if (apps.contains("slf4j")) {
      MetricsCollector collector = collector("bench3");
      ports.append(" slf4j=").append(hello(new JavalinMetricsPlugin(cfg -> cfg.collector(collector))));
    }
    System.out.println(ports.toString().trim());
    System.out.flush();
  }

  private static MetricsCollector collector(String service) {
    return Metrics.builder(Map.of()).serviceName(service).version("1").initialize();
  }

  /** Jetty's request log line, about the chain's JSON line in Jetty's own format codes. */
  static final String JETTY_LOG_FORMAT = "{\"timestamp\":\"%{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'|UTC}t\",\"method\":\"%m\","
      + "\"route\":\"%U\",\"status\":%s,\"duration_us\":%{us}T,\"request_bytes\":%I,\"response_bytes\":%O,"
      + "\"client\":\"%{client}a\"}";

  /** {@code GET /hello} on bare Javalin whose Jetty writes its own request log to {@code file}; its port. */
  private static int helloWithJettyLog(Path file) {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(server -> server.setRequestLog(new CustomRequestLog(
          new AsyncRequestLogWriter(file.toString(),
              new BlockingArrayQueue<>(65_536)), JETTY_LOG_FORMAT)));
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    }).start("127.0.0.1", 0).port();
  }

  /** Starts a Javalin app serving {@code GET /hello} on a free loopback port, with {@code plugin} if not null; its port. */
  private static int hello(JavalinMetricsPlugin plugin) {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      if (plugin != null) {
        config.registerPlugin(plugin);
      }
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    }).start("127.0.0.1", 0).port();
  }
}
