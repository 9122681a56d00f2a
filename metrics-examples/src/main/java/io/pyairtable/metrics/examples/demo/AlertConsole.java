package io.pyairtable.metrics.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's built-in Alertmanager receiver: a webhook endpoint on a free 127.0.0.1 port that
 * prints every firing and resolved alert of each notification as one readable line, for example
 *
 * <pre>
 * 12:01:07 ALERT FIRING   CircuitBreakerOpen [critical] airtable-gateway: Circuit breaker airtable is open on airtable-gateway
 * 12:02:31 ALERT RESOLVED CircuitBreakerOpen [critical] airtable-gateway: Circuit breaker airtable is open on airtable-gateway
 * </pre>
 *
 * <pre>{@code
 * try (AlertConsole console = AlertConsole.start(System.out)) {
 *   AlertmanagerConfig.builder().webhook(console.url());
 * }
 * }</pre>
 */
public final class AlertConsole implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertConsole.class);
  private static final int MAX_BODY = 1 << 20;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private AlertConsole(HttpServer server, ExecutorService executor, PrintStream out) {
    this.server = server;
    this.executor = executor;
    this.out = out;
  }

  /** Starts the receiver on a free loopback port, printing to {@code out}. */
  public static AlertConsole start(PrintStream out) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-alert-console");
        t.setDaemon(true);
        return t;
      });
      AlertConsole console = new AlertConsole(server, executor, out);
      server.createContext("/alerts", console::handle);
      server.setExecutor(executor);
      server.start();
      return console;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the alert console receiver on 127.0.0.1", e);
    }
  }

  /** The webhook URL for Alertmanager's {@code webhook_configs}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
  }

  /** Every line printed so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY);
      }
      try {
        format(json.readTree(body)).forEach(this::print);
        exchange.sendResponseHeaders(200, -1);
      } catch (IOException | RuntimeException e) {
        LOG.warn("alert console: unreadable notification ({})", e.getClass().getSimpleName());
        exchange.sendResponseHeaders(400, -1);
      }
    }
  }

  private void print(String line) {
    lines.add(line);
    out.println(line);
  }

  /** One line per alert of an Alertmanager webhook notification. */
  static List<String> format(JsonNode notification) {
    List<String> result = new ArrayList<>();
    for (JsonNode a : notification.path("alerts")) {
      JsonNode labels = a.path("labels");
      String status = a.path("status").asText("firing").toUpperCase(Locale.ROOT);
      String at = a.path(status.equals("RESOLVED") ? "endsAt" : "startsAt").asText("");
      String time;
      try {
        time = LocalTime.ofInstant(Instant.parse(at), ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
            .format(TIME);
      } catch (RuntimeException unparsable) {
        time = "--:--:--";
      }
      result.add(String.format("%s ALERT %-8s %s [%s] %s: %s", time, status, labels.path("alertname").asText("?"),
          labels.path("severity").asText("?"), labels.path("service").asText("-"),
          a.path("annotations").path("summary").asText("")));
    }
    return result;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
