package io.pyairtable.metrics.http.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.http.Exposition;
import io.pyairtable.metrics.http.RawHttp;
import io.pyairtable.metrics.http.chain.RequestScope;
import io.pyairtable.metrics.http.jetty.DrainingHandler;
import io.pyairtable.metrics.http.jetty.JettyHardening;
import io.pyairtable.metrics.http.service.FullMetricsService;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
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

  @Test
  @Timeout(60)
  void eventStreamsEndWhenDrainingStartsWhileOtherRequestsGetTheGracePeriod() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    app = FullMetricsService.builder("drain").collector(collector).stopOnJvmShutdown(false)
        .shutdownTimeout(Duration.ofSeconds(10))
        .configure(config -> {
          // an async servlet that sends one event and then stays open and idle, as MCP's SDK does
          config.jetty.modifyServletContextHandler(handler -> {
            ServletHolder events = new ServletHolder(new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                req.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, "/events");
                AsyncContext async = req.startAsync();
                async.setTimeout(0);
                async.addListener(completesOnError()); // the stream's session ends on the drain's failure
                res.setContentType("text/event-stream");
                res.getOutputStream().write("data: hello\n\n".getBytes(StandardCharsets.US_ASCII));
                res.flushBuffer();
              }
            });
            events.setAsyncSupported(true);
            handler.addServlet(events, "/events");
          });
          // a handler thread that writes an event every 50 ms
          config.routes.get("/ticks", ctx -> {
            ctx.contentType("text/event-stream");
            OutputStream out = ctx.res().getOutputStream();
            for (int i = 0; i < 400; i++) {
              out.write("data: tick\n\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              Thread.sleep(50);
            }
          });
          config.routes.get("/slow", ctx -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            ctx.result("finished");
          });
        }).build().start("127.0.0.1", 0);
    int port = app.port();
    try (Socket events = openStream(port, "/events", "text/event-stream", "data: hello");
        Socket ticks = openStream(port, "/ticks", "application/json, Text/Event-Stream", "data: tick")) {
      CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

      long stopStart = System.nanoTime();
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::stop);
      assertThat(readsToEnd(events)).isTrue();
      assertThat(readsToEnd(ticks)).isTrue();
      long streamsEndedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
      assertThat(slow).isNotDone(); // the ordinary request still has its grace period
      release.countDown();
      HttpResponse<String> answered = slow.get(20, TimeUnit.SECONDS);
      stopping.get(20, TimeUnit.SECONDS);
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
      app = null;
      System.out.println("streams ended " + streamsEndedMillis + " ms after stop began; stop took " + stopMillis + " ms");
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.body()).isEqualTo("finished");
      assertThat(stopMillis).isLessThan(5_000); // the grace period is 10 s: nothing waited it out
    }
    Exposition e = new Exposition(collector.exportMetrics());
    Map<String, Double> requests = new TreeMap<>();
    for (Exposition.Sample s : e.find(MetricCatalog.HTTP_REQUESTS_TOTAL.name())) {
      requests.put(s.labels().get("method") + " " + s.labels().get("endpoint") + " " + s.labels().get("status_code"),
          s.value());
    }
    assertThat(requests).isEqualTo(Map.of("GET /events 200", 1.0, "GET /ticks 200", 1.0, "GET /slow 200", 1.0));
    assertThat(e.find(MetricCatalog.ERRORS_TOTAL.name())).isEmpty();
  }

  @Test
  @Timeout(60)
  void aStreamThatHadSentNothingIsRecordedOnce503WhenTheServerIsDrainedTwice() throws Exception {
    // A service's own stop drains first, then its app's stop drains again (GracefulStop in the examples):
    // the second drain must not end the stream anew after Jetty's failure handling has begun.
    app = FullMetricsService.builder("drain").collector(collector).stopOnJvmShutdown(false)
        .shutdownTimeout(Duration.ofSeconds(10))
        .configure(config -> config.jetty.modifyServletContextHandler(handler -> {
          ServletHolder silent = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) {
              req.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, "/silent");
              AsyncContext async = req.startAsync();   // open, nothing sent yet (MCP's standalone GET)
              async.setTimeout(0);
              async.addListener(completesOnError(200));   // an application that takes its time to end the stream
            }
          });
          silent.setAsyncSupported(true);
          handler.addServlet(silent, "/silent");
        })).build().start("127.0.0.1", 0);
    int port = app.port();
    try (Socket stream = new Socket("127.0.0.1", port)) {
      stream.setSoTimeout(10_000);
      stream.getOutputStream().write("GET /silent HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      long inProgressBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (new Exposition(collector.exportMetrics()).find(MetricCatalog.ACTIVE_CONNECTIONS.name()).stream()
          .mapToDouble(Exposition.Sample::value).sum() != 1) {
        assertThat(System.nanoTime() - inProgressBy).as("the stream is in progress within 10 s").isNegative();
        Thread.sleep(10);
      }
      Server server = app.jettyServer().server();
      DrainingHandler draining = server.getDescendant(DrainingHandler.class);
      assertThat(JettyHardening.drain(server, draining, Duration.ofSeconds(5))).isZero();
      app.stop();   // drains again
      app = null;
      assertThat(readsToEnd(stream)).isTrue();
    }
    // recorded once, as the 503 of a stopping server, under the template the servlet handed over
    Exposition e = new Exposition(collector.exportMetrics());
    Map<String, Double> requests = new TreeMap<>();
    for (Exposition.Sample s : e.find(MetricCatalog.HTTP_REQUESTS_TOTAL.name())) {
      requests.merge(s.labels().get("method") + " " + s.labels().get("endpoint") + " " + s.labels().get("status_code"),
          s.value(), Double::sum);
    }
    assertThat(requests).isEqualTo(Map.of("GET /silent 503", 1.0));
  }

  /** An async listener that completes the request when it fails (as MCP's SDK ends its stream's session). */
  private static AsyncListener completesOnError() {
    return completesOnError(0);
  }

  /** As {@link #completesOnError()}, {@code millis} after the failure (an application slow to end its stream). */
  private static AsyncListener completesOnError(long millis) {
    return new AsyncListener() {
      @Override
      public void onError(AsyncEvent event) {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        event.getAsyncContext().complete();
      }

      @Override
      public void onComplete(AsyncEvent event) {}

      @Override
      public void onTimeout(AsyncEvent event) {}

      @Override
      public void onStartAsync(AsyncEvent event) {}
    };
  }

  /** Opens an event stream and reads until {@code firstEvent} has arrived. */
  private static Socket openStream(int port, String path, String accept, String firstEvent) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf(firstEvent) < 0) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the stream ended before " + firstEvent + ": " + seen);
      }
      seen.append((char) b);
    }
    return socket;
  }

  /** True when the server closes the stream within 10 s (false: still open). */
  private static boolean readsToEnd(Socket socket) throws IOException {
    byte[] buffer = new byte[4096];
    try {
      while (socket.getInputStream().read(buffer) >= 0) {
        // events sent before the end
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
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
