package io.pyairtable.metrics.integrations.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: six {@code redis-server --cluster-enabled yes} on free loopback
 * ports in a temp dir (no persistence, {@code cluster-node-timeout} 1000 ms), joined by
 * {@code redis-cli --cluster create --cluster-replicas 1} into 3 masters with a replica each, and
 * returned once every replica has finished its first sync (a replica that never synced refuses to
 * take over from a dead master: Redis 7 delays a diskless sync by 5 s, so the helper sets that
 * delay to 0 and the replica validity factor to 0);
 * {@link #kill(int)} SIGKILLs one node, as a crash would; {@link #restart(int)} starts it again on
 * the same port with its cluster config file (its node id, role and slots), as a supervisor would.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *   RedisEndpoint redis = RedisEndpoint.cluster(cluster.nodes(), resources, Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

  private static final int NODES = 6;
  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<ProcessBuilder> commands = new ArrayList<>();

  private RedisCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts six nodes, creates the cluster and waits until every node reports {@code cluster_state:ok}. */
  public static RedisCluster start() throws IOException, InterruptedException {
    RedisCluster cluster = new RedisCluster(TempDirectory.create("redis-cluster-test"));
    try {
      cluster.startNodes();
      cluster.create();
      cluster.awaitStateOk(Duration.ofSeconds(30));
      cluster.awaitReplicasInSync(Duration.ofSeconds(30));
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The seed list in {@code REDIS_CLUSTER_NODES} form: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
  public String nodes() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Kills the node on {@code port} (SIGKILL) and waits for it to be gone. */
  public void kill(int port) throws InterruptedException {
    Process p = processes.get(ports.indexOf(port));
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Starts the killed node on {@code port} again with the same command line (same cluster config
   * file) and waits until it answers PING; the cluster reforms by itself.
   */
  public void restart(int port) throws IOException {
    int i = ports.indexOf(port);
    if (processes.get(i).isAlive()) {
      throw new IllegalStateException("node " + port + " is running");
    }
    processes.set(i, commands.get(i).start());
    Conditions.await(Duration.ofSeconds(10), "redis-server answers PING on " + port,
        () -> cli(port, "ping").startsWith("PONG"));
  }

  /** Waits until every node reports {@code cluster_state:ok}. */
  public void awaitStateOk(Duration timeout) {
    for (int port : ports) {
      Conditions.await(timeout, "cluster_state:ok on " + port,
          () -> cli(port, "cluster", "info").contains("cluster_state:ok"));
    }
  }

  /**
   * Waits until {@code NODES / 2} nodes are replicas whose link to their master is up: only a
   * replica that has synced can be promoted when its master dies.
   */
  public void awaitReplicasInSync(Duration timeout) {
    Conditions.await(timeout, (NODES / 2) + " replicas with master_link_status:up", () -> ports.stream()
        .map(port -> cli(port, "info", "replication"))
        .filter(info -> info.contains("role:slave") && info.contains("master_link_status:up"))
        .count() == NODES / 2);
  }

  /** The port of the master serving {@code slot}, as node {@code askPort} sees it now. */
  public int masterOfSlot(int askPort, int slot) {
    for (String line : cli(askPort, "cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        if (range[0].startsWith("[")) {
          continue;
        }
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          String addr = f[1].substring(0, f[1].indexOf('@'));
          return Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        }
      }
    }
    return -1;
  }

  /** Runs {@code redis-cli -p port args...} and returns its output (empty when it fails). */
  public String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TempDirectory.delete(dir);
  }

  private void startNodes() throws IOException {
    for (int i = 0; i < NODES; i++) {
      int port = freePort();
      Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
      ProcessBuilder command = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port),
          "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file",
          nodeDir.resolve("nodes.conf").toString(), "--cluster-node-timeout", "1000", "--save", "", "--appendonly",
          "no", "--dir", nodeDir.toString(), "--protected-mode", "no"))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile()));
      commands.add(command);
      processes.add(command.start());
      ports.add(port);
    }
    for (int port : ports) {
      Conditions.await(Duration.ofSeconds(10), "redis-server answers PING on " + port,
          () -> cli(port, "ping").startsWith("PONG"));
    }
  }

  private void create() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    ports.forEach(p -> command.add("127.0.0.1:" + p));
    command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("create.log").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-cli --cluster create failed: "
          + Files.readString(dir.resolve("create.log")));
    }
  }

  private int freePort() throws IOException {
    // The cluster bus listens on port + 10000: keep both in range.
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (port + 10000 > 65535 || ports.contains(port) || ports.contains(port + 10000)
          || ports.contains(port - 10000)) {
        continue;
      }
      try (ServerSocket bus = new ServerSocket(port + 10000, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException busTaken) {
        // try another
      }
    }
    throw new IOException("no free port pair (p, p+10000) on loopback");
  }
}
