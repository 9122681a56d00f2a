package io.pyairtable.metrics.examples.faults;

import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.integrations.testing.TempDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a fixed free loopback port that a test can kill (SIGKILL, as a
 * crash) and start again on the same port.
 *
 * <pre>{@code
 * try (KillableRedis redis = KillableRedis.start()) {
 *   redis.kill();
 *   redis.restart();
 * }
 * }</pre>
 */
final class KillableRedis implements AutoCloseable {

  private final int port = LoopbackPorts.free();
  private final Path dir;
  private final String password;
  private Process process;

  private KillableRedis(String password) throws IOException {
    this.dir = TempDirectory.create("redis-outage");
    this.password = password;
  }

  static KillableRedis start() throws IOException {
    return start(null);
  }

  /** A server that requires {@code password} ({@code requirepass}); null: none. */
  static KillableRedis start(String password) throws IOException {
    KillableRedis redis = new KillableRedis(password);
    redis.restart();
    return redis;
  }

  String url() {
    return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  synchronized void restart() throws IOException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("redis-server did not come up on " + port + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null) {
      kill();
    }
    TempDirectory.delete(dir);
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String answer = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
      return "+PONG".equals(answer) || "-NOAU".equals(answer);   // up, and asking for the password
    } catch (IOException e) {
      return false;
    }
  }
}
