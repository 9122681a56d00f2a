package io.pyairtable.metrics.http.status;

import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/**
 * Readiness of Redis: connects to the URL ({@code redis://[[user]:password@]host[:port][/db]},
 * {@code rediss://} for TLS), authenticates when the URL has a password, sends {@code PING} and
 * expects {@code +PONG}, within a timeout. Each check is recorded as a {@code ping} Redis
 * operation of the collector, when one is given.
 *
 * <pre>{@code
 * HealthCheck redis = new RedisHealthCheck("redis://localhost:6379", Duration.ofSeconds(1), collector);
 * redis.check().healthy();
 * }</pre>
 */
public final class RedisHealthCheck implements HealthCheck {

  private final String host;
  private final int port;
  private final boolean tls;
  private final String user;
  private final String password;
  private final int timeoutMillis;
  private final MetricsCollector collector;

  public RedisHealthCheck(String redisUrl, Duration timeout, MetricsCollector collector) {
    URI uri = URI.create(redisUrl);
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("a Redis URL starts with redis:// or rediss://, got " + scheme);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the Redis URL has no host");
    }
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : 6379;
    this.tls = "rediss".equals(scheme);
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String u = colon >= 0 ? userInfo.substring(0, colon) : "";
      String p = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
      this.user = u.isEmpty() ? null : URLDecoder.decode(u, StandardCharsets.UTF_8);
      this.password = p.isEmpty() ? null : URLDecoder.decode(p, StandardCharsets.UTF_8);
    } else {
      this.user = null;
      this.password = null;
    }
    this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    this.collector = collector;
  }

  /** Where the check connects, for reports (no credentials). */
  public String target() {
    return (tls ? "rediss://" : "redis://") + host + ":" + port;
  }

  @Override
  public Result check() {
    long start = System.nanoTime();
    boolean ok = false;
    try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      if (password != null) {
        List<String> auth = new ArrayList<>();
        auth.add("AUTH");
        if (user != null) {
          auth.add(user);
        }
        auth.add(password);
        out.write(command(auth));
        out.flush();
        String reply = readLine(in);
        if (!reply.startsWith("+OK")) {
          return Result.down("AUTH refused");
        }
      }
      out.write(command(List.of("PING")));
      out.flush();
      String reply = readLine(in);
      ok = reply.equals("+PONG");
      return ok ? Result.up() : Result.down("unexpected reply to PING: " + reply);
    } catch (IOException e) {
      return Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      if (collector != null) {
        collector.infrastructure().recordRedisOperation("ping", ok, (System.nanoTime() - start) / 1e9);
      }
    }
  }

  private static byte[] command(List<String> parts) {
    StringBuilder sb = new StringBuilder().append('*').append(parts.size()).append("\r\n");
    for (String p : parts) {
      sb.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\r') {
        in.read(); // '\n'
        return sb.toString();
      }
      sb.append((char) c);
      if (sb.length() > 512) {
        break;
      }
    }
    if (c < 0) {
      throw new IOException("connection closed before a reply");
    }
    return sb.toString();
  }
}
