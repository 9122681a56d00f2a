package io.pyairtable.metrics.http.javalin;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.pyairtable.metrics.http.AdapterHarness.TestServer;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Test apps: a Javalin app on a free loopback port, configured by the test, with the plugin
 * installed with the harness's options.
 *
 * <pre>{@code
 * return PluginApps.start(options, config -> config.routes.get("/hello", ctx -> ctx.result("hello")));
 * }</pre>
 */
final class PluginApps {

  private PluginApps() {}

  static TestServer start(MiddlewareOptions options, Consumer<JavalinConfig> app) {
    Javalin javalin = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      app.accept(config);
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.options(options)));
    }).start("127.0.0.1", 0);
    return new TestServer(URI.create("http://127.0.0.1:" + javalin.port() + "/"), javalin::stop);
  }
}
