package io.pyairtable.metrics.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    assertThat(result.generatorMicrosPerRequest()).isPositive().isFinite();
  }

  @Test
  @Timeout(60)
  void anInterleavedRunSplitsOneScheduleEvenlyBetweenItsTargetsAndMeasuresEachApart() throws Exception {
    AtomicInteger other = new AtomicInteger();
    server.createContext("/other", exchange -> {
      other.incrementAndGet();
      exchange.sendResponseHeaders(200, 2);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("ok".getBytes(StandardCharsets.US_ASCII));
      }
    });
    String base = "http://127.0.0.1:" + server.getAddress().getPort();

    List<FixedRateLoad.Result> results = FixedRateLoad.interleaved(
        List.of(URI.create(base + "/hello"), URI.create(base + "/other")), 301, 1, 2);

    assertThat(results).hasSize(2);
    assertThat(results.get(0).count()).isEqualTo(151); // 301 requests: the first target gets the odd one
    assertThat(results.get(1).count()).isEqualTo(150);
    assertThat(results.get(0).errors() + results.get(1).errors()).isZero();
    assertThat(served.get()).isEqualTo(151);
    assertThat(other.get()).isEqualTo(150);
    assertThat(results.get(0).latency().getTotalCount()).isEqualTo(151);
    assertThat(results.get(1).lateness().getTotalCount()).isEqualTo(150);
    assertThat(results.get(0).generatorCpuSeconds() + results.get(1).generatorCpuSeconds()).isPositive();
  }

  @Test
  @Timeout(60)
  void requestsDueWhileTheOnlyConnectionWaitsAreSentWhenItIsFreeAndChargedFromWhenTheyWereDue() throws Exception {
    server.createContext("/slow", exchange -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, 2);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("ok".getBytes(StandardCharsets.US_ASCII));
      }
    });
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");

    // 20 requests due every 10 ms on one connection whose every answer takes 100 ms
    FixedRateLoad.Result result = FixedRateLoad.run(target, 100, 0.2, 1);

    assertThat(result.count()).isEqualTo(20);
    assertThat(result.errors()).isZero();
    assertThat(result.waitedForConnection()).isEqualTo(19);
    // the last request was due at 190 ms and answered no earlier than 20 x 100 ms: coordinated omission corrected
    assertThat(result.latency().getMaxValue()).isGreaterThanOrEqualTo(1_810_000_000L);
  }

  @Test
  @Timeout(60)
  void aServerThatClosesEveryConnectionAfterItsAnswerGetsEachRequestOnANewConnectionWithoutErrors() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!closing.isClosed()) {
          try (Socket s = closing.accept()) {
            accepted.incrementAndGet();
            s.setSoTimeout(5_000);
            if (readRequestHead(s.getInputStream())) {
              s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                  .getBytes(StandardCharsets.US_ASCII));
              answered.incrementAndGet();
            }
          } catch (IOException e) {
            // the test's end closes the server socket
          }
        }
      }, "closing-server");
      acceptor.setDaemon(true);
      acceptor.start();
      URI target = URI.create("http://127.0.0.1:" + closing.getLocalPort() + "/hello");

      FixedRateLoad.Result result = FixedRateLoad.run(target, 40, 0.5, 2);

      assertThat(result.count()).isEqualTo(20);
      assertThat(result.errors()).isZero();
      assertThat(answered.get()).isEqualTo(20);
      // one connection per request: the 2 opened at the start took the first two, every later one opened its own
      assertThat(accepted.get()).isEqualTo(20);
    }
  }

  @Test
  @Timeout(60)
  void aConnectionThatCannotBeReopenedCountsItsRequestsAsErrorsAndStaysInThePool() throws Exception {
    ServerSocket once = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread answerOnce = new Thread(() -> {
      try (once; Socket s = once.accept()) {
        if (readRequestHead(s.getInputStream())) {
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
              .getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException e) {
        // the test fails on the counts below
      }
    }, "answer-once");
    answerOnce.start();
    URI target = URI.create("http://127.0.0.1:" + once.getLocalPort() + "/hello");

    // one connection: the first request is answered, then the server is gone and every reopen is refused
    FixedRateLoad.Result result = FixedRateLoad.run(target, 100, 0.1, 1);

    assertThat(result.count()).isEqualTo(1);
    assertThat(result.errors()).isEqualTo(9);
    // each refused reopen hands the connection back at once: no request waits for it
    assertThat(result.waitedForConnection()).isZero();
    answerOnce.join(5_000);
  }

  /** Reads one request's head (up to the blank line); false when the connection closed first. */
  private static boolean readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return true;
      }
    }
    return false;
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
