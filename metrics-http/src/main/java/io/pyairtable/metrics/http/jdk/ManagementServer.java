package io.pyairtable.metrics.http.jdk;

import com.sun.net.httpserver.HttpServer;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics endpoint on a separate management port, bound to a chosen interface (loopback by
 * default), so it is not reachable through the application's port. A JDK {@code HttpServer} whose
 * executor serves up to 16 scrapes at once (daemon threads), so one client that never finishes its
 * request or never reads its answer does not block the others; the JDK server's request and
 * response time limits are set by {@link JdkServerLimits#applyDefaults()} when not already set.
 *
 * <pre>{@code
 * ManagementServer server = ManagementServer.start(endpoint, "/metrics", InetAddress.getLoopbackAddress(), 9400);
 * int port = server.port();
 * server.close();
 * }</pre>
 */
public final class ManagementServer implements AutoCloseable {

  /** The most scrapes served at once. */
  static final int THREADS = 16;

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving {@code endpoint} at {@code path} on {@code address:port} (port 0 picks a free one). */
  public static ManagementServer start(MetricsEndpoint endpoint, String path, InetAddress address, int port) {
    try {
      JdkServerLimits.applyDefaults();
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
      server.createContext(path, new MetricsHttpHandler(endpoint));
      AtomicInteger threads = new AtomicInteger();
      ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "metrics-management-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      executor.allowCoreThreadTimeOut(true);
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
