package io.pyairtable.metrics.spring.testing;

import io.pyairtable.metrics.integrations.testing.TempDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code redis-server} on a free loopback port, without persistence; {@link #close()} kills it and deletes its temp directory. */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Process process;
  private final Path dir;

  private RedisServer(int port, Process process, Path dir) {
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  public static RedisServer start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = TempDirectory.create("redis-starter-test");
    Process p = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    RedisServer server = new RedisServer(port, p, dir);
    Await.until(Duration.ofSeconds(15), "redis-server listening on " + port, server::listening);
    return server;
  }

  public int port() {
    return port;
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    TempDirectory.delete(dir);
  }
}
