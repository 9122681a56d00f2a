package io.pyairtable.metrics.http;

import static io.pyairtable.metrics.catalog.MetricCatalog.ACTIVE_CONNECTIONS;
import static io.pyairtable.metrics.catalog.MetricCatalog.ERRORS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUESTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_DURATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_REQUEST_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.HTTP_RESPONSE_SIZE_BYTES;
import static io.pyairtable.metrics.catalog.MetricCatalog.METRICS_SCRAPE_DURATION_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the adapter contracts share: a fresh collector and HTTP/1.1 client per test, the server
 * under test started on a free loopback port and stopped after, request and polling helpers.
 */
public abstract class AdapterHarness {

  /** A running server: where it answers, and how it is stopped. */
  public record TestServer(URI base, AutoCloseable stop) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stop.close();
    }
  }

  public static final String SECRET_MESSAGE = "secret internal detail";
  public static final int MIB = 1024 * 1024;

  protected MetricsCollector collector;
  protected HttpClient client;
  private final List<TestServer> servers = new ArrayList<>();

  /** Starts the adapter's server on a free loopback port with these options. */
  protected abstract TestServer start(MiddlewareOptions options) throws Exception;

  @BeforeEach
  void setUpCollector() {
    collector = Metrics.builder(Map.of()).serviceName("test-svc").version("1.0.0").jvmMetrics(false).initialize();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (TestServer s : servers) {
      s.close();
    }
    servers.clear();
  }

  protected URI serve(MiddlewareOptions options) throws Exception {
    TestServer s = start(options);
    servers.add(s);
    return s.base();
  }

  protected URI serve() throws Exception {
    return serve(MiddlewareOptions.of(collector));
  }

  protected HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  protected Exposition scrape() {
    return new Exposition(collector.exportMetrics());
  }

  protected static void await(BooleanSupplier condition, String what) {
    await(condition, () -> what);
  }

  private static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  /** Requests are recorded after the response is sent by some servers: wait for the count. */
  protected void awaitRequests(double expected, String... labels) {
    double[] last = {Double.NaN};
    await(() -> (last[0] = scrape().value(HTTP_REQUESTS_TOTAL.name(), labels)) == expected,
        () -> HTTP_REQUESTS_TOTAL.name() + " " + List.of(labels) + " == " + expected + " (last seen " + last[0] + ")");
  }

  /** Waits until one request to {@code endpoint} is recorded, then scrapes. */
  protected Exposition scrapeAfterOne(String endpoint) {
    awaitRequests(1, "endpoint", endpoint);
    return scrape();
  }

  protected static String rawRequest(URI base, String request) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

}
