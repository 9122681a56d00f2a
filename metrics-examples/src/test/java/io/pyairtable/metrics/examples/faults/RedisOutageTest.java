package io.pyairtable.metrics.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9's Redis outage, end to end: steady reads (20 per second over five cache keys of one base)
 * through the API gateway to the Airtable gateway, whose response cache and rate limiter use a real
 * redis-server; the cache is warm, then redis-server is killed (SIGKILL) for 15 s and started again
 * on the same port. Every request is sent on schedule whatever happened to earlier ones (an open
 * loop, as independent clients would), and waits at most 30 s for its answer.
 */
class RedisOutageTest {

  private static final String BASE = "appOutageTest0001";
  private static final String TABLE = "Customers";
  private static final String KEY = "outage-test-key";
  private static final List<String> QUERIES = List.of("pageSize=5", "pageSize=10", "pageSize=15", "pageSize=20",
      "pageSize=25");
  private static final Duration PERIOD = Duration.ofMillis(50);

  private enum Phase { BEFORE, OUTAGE, AFTER }

  private record Outcome(Phase phase, int status, long millis) {
    boolean failed() {
      return status != 200;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<CompletableFuture<Outcome>> sent = Collections.synchronizedList(new ArrayList<>());
  private volatile Phase phase = Phase.BEFORE;

  @Test
  @Timeout(180)
  void readsKeepBeingAnsweredWithinTwoSecondsWhileRedisIsDownAndNoneFailsAfterItReturns() throws Exception {
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    try (AirtableEmulator airtable = AirtableEmulator.builder().build().start();
        KillableRedis redis = KillableRedis.start();
        AirtableGatewayService airtableGateway = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
            .upstream(URI.create(airtable.baseUrl()), airtable.apiKey()).redisUrl(redis.url()).build(),
            Metrics.builder(Map.of()).serviceName(AirtableGatewayService.SERVICE_NAME).jvmMetrics(false).initialize());
        ApiGatewayService gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
            .backends(URI.create(airtableGateway.baseUrl()), URI.create("http://127.0.0.1:" + LoopbackPorts.free()),
                URI.create("http://127.0.0.1:" + LoopbackPorts.free()))
            .apiKeys(List.of(KEY)).healthInterval(Duration.ofHours(1)).build(),
            Metrics.builder(Map.of()).serviceName(ApiGatewayService.SERVICE_NAME).jvmMetrics(false).initialize())) {
      airtable.seedSampleRecords(BASE, TABLE, 60);
      for (String query : QUERIES) {
        assertThat(read(gateway, query, Phase.BEFORE).get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }

      int[] n = {0};
      load.scheduleAtFixedRate(() -> sent.add(read(gateway, QUERIES.get(n[0]++ % QUERIES.size()), phase)),
          0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      TimeUnit.SECONDS.sleep(5);
      redis.kill();
      phase = Phase.OUTAGE;
      TimeUnit.SECONDS.sleep(15);
      phase = Phase.AFTER;
      redis.restart();
      long restarted = System.nanoTime();
      long deadline = restarted + TimeUnit.SECONDS.toNanos(10);
      while (!rateLimiterMode(airtableGateway).equals("\"redis\"") && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      long backMillis = (System.nanoTime() - restarted) / 1_000_000;
      System.out.println("redis outage test, limiter distributed again " + backMillis + " ms after the restart");
      assertThat(rateLimiterMode(airtableGateway)).isEqualTo("\"redis\"");
      TimeUnit.NANOSECONDS.sleep(Math.max(0, restarted + TimeUnit.SECONDS.toNanos(10) - System.nanoTime()));
      load.shutdown();
      assertThat(load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      List<Outcome> outcomes = sent.stream().map(CompletableFuture::join).toList();
      for (Phase p : Phase.values()) {
        System.out.println("redis outage test, " + summary(outcomes, p));
      }
      List<Outcome> outage = of(outcomes, Phase.OUTAGE);
      assertThat(outage.size()).isBetween(200, 320);
      assertThat(outage.stream().filter(Outcome::failed).count()).isLessThanOrEqualTo(outage.size() / 100);
      assertThat(percentile(outage, 0.99)).isLessThan(2000);
      assertThat(of(outcomes, Phase.AFTER)).isNotEmpty().noneMatch(Outcome::failed);
      assertThat(of(outcomes, Phase.BEFORE)).isNotEmpty().noneMatch(Outcome::failed);
      // misses went upstream within Airtable's limits, also while the limiter decided in process
      assertThat(airtable.rateLimitResponses()).isZero();
    } finally {
      load.shutdownNow();
    }
  }

  private CompletableFuture<Outcome> read(ApiGatewayService gateway, String query, Phase at) {
    long start = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/airtable/bases/" + BASE
        + "/tables/" + TABLE + "/records?" + query)).header("X-API-Key", KEY).timeout(Duration.ofSeconds(30)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((r, failure) -> new Outcome(at, failure == null ? r.statusCode() : 0,
            (System.nanoTime() - start) / 1_000_000));
  }

  private String rateLimiterMode(AirtableGatewayService gateway) throws Exception {
    String status = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/status")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"rate_limiter\":(\"[a-z_]+\")").matcher(status);
    return m.find() ? m.group(1) : status;
  }

  private static List<Outcome> of(List<Outcome> all, Phase p) {
    return all.stream().filter(o -> o.phase() == p).toList();
  }

  private static long percentile(List<Outcome> outcomes, double q) {
    List<Long> millis = outcomes.stream().map(Outcome::millis).sorted().toList();
    return millis.isEmpty() ? 0 : millis.get((int) Math.ceil(q * millis.size()) - 1);
  }

  private static String summary(List<Outcome> all, Phase p) {
    List<Outcome> in = of(all, p);
    return String.format("%s: %d requests, %d failed, p50 %d ms, p99 %d ms, max %d ms", p, in.size(),
        in.stream().filter(Outcome::failed).count(), percentile(in, 0.5), percentile(in, 0.99),
        percentile(in, 1.0));
  }
}
