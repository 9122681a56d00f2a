package io.pyairtable.metrics.examples.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;

/**
 * What both loopback emulators share: their settings' port, seed and latency
 * ({@link Settings}), a {@link LoopbackHttpServer} started once on 127.0.0.1 (the given port or a
 * free one) by {@link #start()}, its {@link #port()} and {@link #baseUrl()}, {@link #close()},
 * JSON replies and the simulated latency.
 *
 * <pre>{@code
 * final class PingEmulator extends LoopbackEmulator<PingEmulator> {
 *   PingEmulator(PingSettings settings) { super("ping-emulator", settings); }
 *   void routes(JavalinConfig c) { c.routes.get("/ping", ctx -> json(ctx, 200, MAPPER.createObjectNode())); }
 * }
 * }</pre>
 *
 * @param <E> the emulator, returned by {@link #start()}
 */
public abstract class LoopbackEmulator<E extends LoopbackEmulator<E>> implements AutoCloseable {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final int configuredPort;
  private volatile LoopbackHttpServer server;

  LoopbackEmulator(String name, Settings<?> settings) {
    this.name = name;
    this.configuredPort = settings.port;
  }

  /** Declares the emulator's routes. */
  abstract void routes(JavalinConfig config);

  /** Starts the HTTP server unless it runs already; returns this emulator. */
  @SuppressWarnings("unchecked")
  public final synchronized E start() {
    if (server == null) {
      server = LoopbackHttpServer.start(name, configuredPort, this::routes);
    }
    return (E) this;
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

  /**
   * The settings every emulator has: its loopback port, the seed of its random draws and the
   * latency of its answers.
   *
   * @param <B> the emulator's builder, returned by the setters for chaining
   */
  public abstract static class Settings<B extends Settings<B>> {
    int port;
    long seed = 42;
    Duration minLatency;
    Duration maxLatency;

    Settings(Duration minLatency, Duration maxLatency) {
      this.minLatency = minLatency;
      this.maxLatency = maxLatency;
    }

    /** The loopback port; 0 (the default) picks a free one. */
    public final B port(int port) {
      this.port = port;
      return self();
    }

    /** The seed of every random draw (ids, latencies, faults, answers); default 42. */
    public final B seed(long seed) {
      this.seed = seed;
      return self();
    }

    /** The latency of each answer, uniform in [min, max]. */
    public final B latency(Duration min, Duration max) {
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("latency needs 0 <= min <= max");
      }
      this.minLatency = min;
      this.maxLatency = max;
      return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }
}
