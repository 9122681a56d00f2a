package io.pyairtable.metrics.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A throw-away {@code redis-server} on a free 127.0.0.1 port, in a temporary directory, without
 * persistence; {@link #close()} stops it and deletes the directory.
 *
 * <pre>{@code
 * try (LocalRedis redis = LocalRedis.startIfInstalled().orElseThrow()) {
 *   String url = redis.url(); // redis://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class LocalRedis implements AutoCloseable {

  private final ExternalProcess process;
  private final int port;

  private LocalRedis(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one on a free port when {@code redis-server} is on the PATH. */
  public static Optional<LocalRedis> startIfInstalled() {
    return startIfInstalled(0);
  }

  /** Starts one on {@code port} (0: a free one) when {@code redis-server} is on the PATH. */
  public static Optional<LocalRedis> startIfInstalled(int port) {
    return ExternalProcess.onPath("redis-server").map(binary -> start(binary, port));
  }

  /** Starts {@code binary} on a free port. */
  public static LocalRedis start(Path binary) {
    return start(binary, 0);
  }

  /** Starts {@code binary} on 127.0.0.1:{@code fixedPort} (0: a free one). */
  public static LocalRedis start(Path binary, int fixedPort) {
    int port = fixedPort == 0 ? LoopbackPorts.free() : fixedPort;
    Path dir;
    try {
      dir = Files.createTempDirectory("pyairtable-redis-");
    } catch (IOException e) {
      throw new IllegalStateException("no temporary directory for redis-server", e);
    }
    ExternalProcess p = ExternalProcess.start("redis-server", dir, List.of(binary.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--daemonize", "no"), () -> ping(port), Duration.ofSeconds(15));
    return new LocalRedis(p, port);
  }

  /** True when a Redis server on {@code port} answers PING. */
  static boolean ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] answer = in.readNBytes(5);
      return "+PONG".equals(new String(answer, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
