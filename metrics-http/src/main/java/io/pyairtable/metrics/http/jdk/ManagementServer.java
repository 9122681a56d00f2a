package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.http.core.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metrics endpoint on a separate management port, bound to a chosen interface (loopback by
 * default), so it is not reachable through the application's port. A JDK {@code HttpServer} with
 * one daemon thread.
 *
 * <pre>{@code
 * ManagementServer server = ManagementServer.start(endpoint, "/metrics", InetAddress.getLoopbackAddress(), 9400);
 * int port = server.port();
 * server.close();
 * }</pre>
 */
public final class ManagementServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving {@code endpoint} at {@code path} on {@code address:port} (port 0 picks a free one). */
  public static ManagementServer start(MetricsEndpoint endpoint, String path, InetAddress address, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
      server.createContext(path, new MetricsHttpHandler(endpoint));
      ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metrics-management-" + port);
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      server.start();
      return new ManagementServer(server, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the management port " + address + ":" + port, e);
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
