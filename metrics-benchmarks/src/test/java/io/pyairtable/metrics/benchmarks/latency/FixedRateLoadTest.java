package io.pyairtable.metrics.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The latency harness starts, sends its schedule and produces numbers (not a benchmark: 1 s at 200/s). */
class FixedRateLoadTest {

  private HttpServer server;
  private ExecutorService executor;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hello", exchange -> {
      // counted before answering: once the client has its answer, the count includes it
      served.incrementAndGet();
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(60)
  void aOneSecondRunAtTwoHundredPerSecondSendsEveryScheduledRequestAndMeasuresItsLatency() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");

    FixedRateLoad.Result result = FixedRateLoad.run(target, 200, 1, 4);

    assertThat(result.count()).isEqualTo(200);
    assertThat(result.errors()).isZero();
    assertThat(served.get()).isEqualTo(200);
    assertThat(result.latency().getTotalCount()).isEqualTo(200);
    assertThat(result.micros(50)).isPositive().isFinite();
    assertThat(result.micros(99.9)).isGreaterThanOrEqualTo(result.micros(50));
    assertThat(result.lateness().getTotalCount()).isEqualTo(200);
  }

  @Test
  @Timeout(60)
  void answersThatAreNot2xxAreCountedAsErrorsNotAsLatencies() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/missing");

    FixedRateLoad.Result result = FixedRateLoad.run(target, 100, 0.5, 2);

    assertThat(result.count()).isZero();
    assertThat(result.errors()).isEqualTo(50);
  }
}
