package io.pyairtable.metrics.http.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.pyairtable.metrics.http.AdapterHarness;
import io.pyairtable.metrics.http.LogCapture;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The access log's {@code client} is the address Jetty reports for each request: the chain keeps
 * a connection's address text between its requests, and still takes each request's own address
 * when a customizer gives it one ({@code ForwardedRequestCustomizer}).
 */
@Timeout(30)
class ClientAddressTest extends AdapterHarness {

  @Override
  protected TestServer start(MiddlewareOptions options) {
    return PluginApps.start(options, config -> {
      config.jetty.modifyHttpConfiguration(http -> http.addCustomizer(new ForwardedRequestCustomizer()));
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    });
  }

  @Test
  void eachRequestOnAKeptAliveConnectionIsLoggedWithItsOwnAddress() throws Exception {
    URI base = serve();
    List<String> forwarded = List.of("198.51.100.7", "198.51.100.8", "", "", "198.51.100.7", "");
    try (LogCapture logs = new LogCapture(); RawHttp first = new RawHttp(base.getPort());
        RawHttp second = new RawHttp(base.getPort())) {
      for (String address : forwarded) {
        first.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (address.isEmpty() ? "" : "X-Forwarded-For: " + address + "\r\n") + "\r\n");
        assertThat(first.read().status()).isEqualTo(200);
      }
      assertThat(second.get("/hello").status()).isEqualTo(200);
      assertThat(second.get("/hello").status()).isEqualTo(200);
      await(() -> logs.accessEvents().size() == forwarded.size() + 2, "an access-log line per request");
      assertThat(logs.accessEvents().stream().map(ClientAddressTest::client).toList()).containsExactly(
          "198.51.100.7", "198.51.100.8", "127.0.0.1", "127.0.0.1", "198.51.100.7", "127.0.0.1",
          "127.0.0.1", "127.0.0.1");
    }
  }

  private static Object client(ILoggingEvent line) {
    return line.getKeyValuePairs().stream().filter(kv -> kv.key.equals("client")).findFirst().orElseThrow().value;
  }
}
