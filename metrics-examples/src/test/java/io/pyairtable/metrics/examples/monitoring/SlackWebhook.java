package io.pyairtable.metrics.examples.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in for a Slack incoming webhook: records the JSON body of every POST (the
 * payload Alertmanager's {@code slack_configs} sends) and answers {@code ok} as Slack does.
 */
final class SlackWebhook implements AutoCloseable {

  private final HttpServer server;
  private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
  private final ObjectMapper json = new ObjectMapper();

  SlackWebhook() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/services/T000/B000/secret", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        messages.add(json.readTree(in.readNBytes(1 << 20)));
        byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, ok.length);
        exchange.getResponseBody().write(ok);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret";
  }

  /** Every message received so far. */
  List<JsonNode> messages() {
    return List.copyOf(messages);
  }

  /** The first message whose first attachment's title is {@code title}, or null. */
  JsonNode titled(String title) {
    return messages.stream().filter(m -> m.path("attachments").path(0).path("title").asText().equals(title))
        .findFirst().orElse(null);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
