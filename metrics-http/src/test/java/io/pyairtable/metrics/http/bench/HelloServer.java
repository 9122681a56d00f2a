package io.pyairtable.metrics.http.bench;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.HttpMetrics;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.util.Map;

/**
 * The wrk benchmark's target (not a test, not shipped): three Javalin apps in one JVM on loopback,
 * the same {@code GET /hello} on each: bare, with the full chain (correlation id, metrics,
 * request logging, error handling), and with the chain minus request logging. Prints
 * {@code bare=<port> chain=<port> nolog=<port>} and serves
 * until killed. Run by {@code bench/run_wrk.py}.
 *
 * <pre>{@code
 * java -cp ... io.pyairtable.metrics.http.bench.HelloServer
 * }</pre>
 */
public final class HelloServer {

  private HelloServer() {}

  public static void main(String[] args) throws InterruptedException {
    Javalin bare = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    }).start("127.0.0.1", 0);
    MetricsCollector collector = Metrics.builder(Map.of()).serviceName("bench").version("1").initialize();
    Javalin chain = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      HttpMetrics.setupMiddleware(config, MiddlewareOptions.of(collector));
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    }).start("127.0.0.1", 0);
    MetricsCollector collector2 = Metrics.builder(Map.of()).serviceName("bench2").version("1").initialize();
    Javalin nolog = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      HttpMetrics.setupMiddleware(config, MiddlewareOptions.builder().metricsCollector(collector2)
          .enableRequestLogging(false).build());
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    }).start("127.0.0.1", 0);
    System.out.println("bare=" + bare.port() + " chain=" + chain.port() + " nolog=" + nolog.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
