package io.pyairtable.metrics.examples.emulator;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Javalin server bound to 127.0.0.1 only, on a given port or a free one (port 0), with daemon
 * worker threads named after the emulator, so a forgotten emulator never keeps a JVM alive.
 *
 * <pre>{@code
 * LoopbackHttpServer server = LoopbackHttpServer.start("airtable-emulator", 0,
 *     config -> config.routes.get("/ping", ctx -> ctx.result("pong")));
 * int port = server.port();
 * server.close();
 * }</pre>
 */
final class LoopbackHttpServer implements AutoCloseable {

  static final String HOST = "127.0.0.1";

  private final Javalin app;

  private LoopbackHttpServer(Javalin app) {
    this.app = app;
  }

  /** Starts a server whose routes {@code routes} declares. */
  static LoopbackHttpServer start(String name, int port, Consumer<JavalinConfig> routes) {
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName(name);
    pool.setDaemon(true);
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jetty.threadPool = pool;
      routes.accept(config);
    });
    app.start(HOST, port);
    return new LoopbackHttpServer(app);
  }

  int port() {
    return app.port();
  }

  String baseUrl() {
    return "http://" + HOST + ":" + port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
