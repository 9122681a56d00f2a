package io.pyairtable.metrics.http.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.service.FullMetricsService;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Graceful shutdown of the turnkey service over real HTTP: in-flight requests finish, a request
 * on an open keep-alive connection is answered 503 with {@code Connection: close}, new connections
 * are refused, and stop returns within the grace period plus 2 s.
 */
class GracefulShutdownTest {

  private final MetricsCollector collector =
      Metrics.builder(Map.of()).serviceName("drain").version("1").jvmMetrics(false).initialize();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Javalin app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  @Test
  @Timeout(60)
  void inFlightRequestsFinishAndKeepAliveRequestsGet503WithConnectionClose() throws Exception {
    int inFlight = 20;
    CountDownLatch entered = new CountDownLatch(inFlight);
    CountDownLatch release = new CountDownLatch(1);
    app = FullMetricsService.builder("drain").collector(collector).stopOnJvmShutdown(false)
        .shutdownTimeout(Duration.ofSeconds(10))
        .configure(config -> {
          config.routes.get("/slow", ctx -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            ctx.result("finished");
          });
          config.routes.get("/hello", ctx -> ctx.result("hi"));
        }).build().start("127.0.0.1", 0);
    int port = app.port();
    RawHttp keepAlive = new RawHttp(port);
    assertThat(keepAlive.get("/hello").status()).isEqualTo(200);

    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      requests.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

    long stopStart = System.nanoTime();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::stop);
    awaitRefused(port);
    assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
        .isInstanceOf(ConnectException.class);

    RawHttp.Response late = keepAlive.get("/hello");
    assertThat(late.status()).isEqualTo(503);
    assertThat(late.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(keepAlive.closedByServer()).isTrue();
    keepAlive.close();

    Thread.sleep(3_000); // the in-flight requests outlive the shutdown-idle timeout of their connections
    release.countDown();
    int ok = 0;
    for (CompletableFuture<HttpResponse<String>> r : requests) {
      HttpResponse<String> res = r.get(20, TimeUnit.SECONDS);
      if (res.statusCode() == 200 && res.body().equals("finished")) {
        ok++;
      }
    }
    stopping.get(20, TimeUnit.SECONDS);
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
    app = null;
    assertThat(ok).isEqualTo(inFlight);
    System.out.println("stop with " + inFlight + " in-flight requests took " + stopMillis + " ms");
    assertThat(stopMillis).isLessThan(12_000);
    Exposition e = new Exposition(collector.exportMetrics());
    assertThat(e.value(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), "endpoint", "/slow", "status_code", "200"))
        .isEqualTo(inFlight);
    assertThat(e.value(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), "method", "GET", "endpoint", "unmatched",
        "status_code", "503")).isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void stopReturnsWithinGracePlusTwoSecondsWhenARequestNeverFinishes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    app = FullMetricsService.builder("drain").collector(collector).stopOnJvmShutdown(false)
        .shutdownTimeout(Duration.ofSeconds(1))
        .configure(config -> config.routes.get("/stuck", ctx -> {
          entered.countDown();
          Thread.sleep(30_000);
          ctx.result("late");
        })).build().start("127.0.0.1", 0);
    CompletableFuture<HttpResponse<String>> stuck = client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/stuck")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    app.stop();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    app = null;
    System.out.println("stop with a stuck request took " + millis + " ms");
    Exposition e = new Exposition(collector.exportMetrics());
    assertThat(e.value(MetricCatalog.HTTP_REQUESTS_TOTAL.name(), "endpoint", "unmatched")).isEqualTo(0);
    assertThat(millis).isLessThan(3_000);
    stuck.cancel(true);
  }

  private static void awaitRefused(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        // keep polling
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the listener still accepts connections");
      }
      Thread.onSpinWait();
    }
  }
}
