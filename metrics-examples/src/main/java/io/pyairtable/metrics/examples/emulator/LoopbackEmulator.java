package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * What both loopback emulators share: a {@link LoopbackHttpServer} started once on 127.0.0.1
 * (a given port or a free one), its {@link #port()} and {@link #baseUrl()}, {@link #close()},
 * JSON replies and the simulated latency.
 *
 * <pre>{@code
 * final class PingEmulator extends LoopbackEmulator {
 *   PingEmulator() { super("ping-emulator", 0); }
 *   protected void routes(JavalinConfig c) { c.routes.get("/ping", ctx -> json(ctx, 200, MAPPER.createObjectNode())); }
 * }
 * }</pre>
 */
public abstract class LoopbackEmulator implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final int configuredPort;
  private volatile LoopbackHttpServer server;

  LoopbackEmulator(String name, int port) {
    this.name = name;
    this.configuredPort = port;
  }

  /** Declares the emulator's routes. */
  abstract void routes(JavalinConfig config);

  /** Starts the HTTP server unless it runs already. */
  final synchronized void startServer() {
    if (server == null) {
      server = LoopbackHttpServer.start(name, configuredPort, this::routes);
    }
  }

  /** The port it listens on. */
  public final int port() {
    return requireStarted().port();
  }

  /** {@code http://127.0.0.1:<port>}: the value for a client's base URL. */
  public final String baseUrl() {
    return requireStarted().baseUrl();
  }

  private LoopbackHttpServer requireStarted() {
    LoopbackHttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the " + name + " is not started");
    }
    return s;
  }

  @Override
  public final synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Answers {@code body} as JSON with {@code status}. */
  static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json; charset=utf-8").result(MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The simulated latency of one answer. */
  static void pause(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
