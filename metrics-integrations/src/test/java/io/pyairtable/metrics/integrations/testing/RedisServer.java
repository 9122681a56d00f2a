package io.pyairtable.metrics.integrations.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests: a free loopback port, a temp dir, no persistence
 * ({@code --save '' --appendonly no}); {@link #stop()} kills it and {@link #start()} brings it
 * back on the same port.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.startNew()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private Process process;

  /** A server on a free loopback port with a fresh temp dir, not started yet. */
  private RedisServer() throws IOException {
    this.port = freePort();
    this.dir = TempDirectory.create("redis-test");
  }

  public static RedisServer startNew() throws IOException {
    RedisServer server = new RedisServer();
    server.start();
    return server;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    Conditions.await(Duration.ofSeconds(10), "redis-server answers PING on port " + port, this::answersPing);
  }

  /** Kills the server (SIGKILL, as a crash would) and waits for it to be gone. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
    TempDirectory.delete(dir);
  }

  private boolean answersPing() {
    if (process != null && !process.isAlive()) {
      throw new AssertionError("redis-server exited with " + process.exitValue());
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = new byte[7];
      int n = in.read(reply);
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
