package io.pyairtable.metrics.benchmarks.gateway;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.gateway.ApiGatewayConfig;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * One API gateway in front of one Airtable gateway (in this JVM, on free 127.0.0.1 ports), both
 * with metrics on ({@code METRICS_ENABLED} unset) or both with {@code METRICS_ENABLED=false}, in
 * front of a shared Airtable emulator. The Airtable gateway's response cache (in-process Caffeine,
 * no Redis) keeps reads for an hour, so once {@link #warm()} has seen a {@code HIT} every read of
 * {@link #url()} is a cache hit: client → API gateway (auth, route, breaker, proxy) → Airtable
 * gateway (cache) and back.
 *
 * <pre>{@code
 * try (AirtableEmulator emulator = GatewayStack.emulator();
 *      GatewayStack on = GatewayStack.start(emulator, true)) {
 *   on.warm();
 *   // wrk -H "X-API-Key: pyairtable-demo-key" on.url()
 * }
 * }</pre>
 *
 * @param metrics whether this stack records metrics
 * @param airtable the Airtable gateway
 * @param gateway the API gateway in front of it
 */
public record GatewayStack(boolean metrics, AirtableGatewayService airtable, ApiGatewayService gateway)
    implements AutoCloseable {

  /** The seeded base and table read through the gateways. */
  public static final String BASE = "appBenchBase00001";
  public static final String TABLE = "Customers";

  /** An Airtable emulator with {@link #TABLE} of {@link #BASE} seeded (50 records). */
  public static AirtableEmulator emulator() {
    AirtableEmulator emulator = AirtableEmulator.builder().port(0).build().start();
    emulator.seedSampleRecords(BASE, TABLE, 50);
    return emulator;
  }

  /** Both services, with all metrics on or with {@code METRICS_ENABLED=false}. */
  public static GatewayStack start(AirtableEmulator emulator, boolean metrics) {
    Map<String, String> env = metrics ? Map.of() : Map.of("METRICS_ENABLED", "false");
    AirtableGatewayService airtable = AirtableGatewayService.start(AirtableGatewayConfig.builder().port(0)
        .upstream(URI.create(emulator.baseUrl()), emulator.apiKey()).cacheTtl(Duration.ofHours(1)).build(),
        collector(env, AirtableGatewayService.SERVICE_NAME, AirtableGatewayService.VERSION));
    try {
      URI nowhere = URI.create("http://127.0.0.1:" + LoopbackPorts.free());
      ApiGatewayService gateway = ApiGatewayService.start(ApiGatewayConfig.builder().port(0)
          .backends(URI.create(airtable.baseUrl()), nowhere, nowhere).healthInterval(Duration.ofMinutes(10))
          .build(), collector(env, ApiGatewayService.SERVICE_NAME, ApiGatewayService.VERSION));
      return new GatewayStack(metrics, airtable, gateway);
    } catch (RuntimeException e) {
      airtable.close();
      throw e;
    }
  }

  private static MetricsCollector collector(Map<String, String> env, String service, String version) {
    return Metrics.builder(env).serviceName(service).version(version).initialize();
  }

  /** The read sent through the API gateway. */
  public String url() {
    return gateway.baseUrl() + "/api/airtable/bases/" + BASE + "/tables/" + TABLE + "/records?pageSize=10";
  }

  /** The API gateway's key header value. */
  public static String apiKey() {
    return ApiGatewayConfig.DEMO_API_KEY;
  }

  /** The API gateway's metrics endpoint. */
  public String apiGatewayMetricsUrl() {
    return gateway.baseUrl() + "/metrics";
  }

  /** Reads {@link #url()} until the Airtable gateway answers from its cache; returns the reads it took. */
  public int warm() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest read = HttpRequest.newBuilder(URI.create(url())).header("X-API-Key", apiKey())
        .timeout(Duration.ofSeconds(30)).build();
    for (int i = 1; i <= 20; i++) {
      HttpResponse<String> r = client.send(read, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("warm-up read answered " + r.statusCode());
      }
      if ("HIT".equals(r.headers().firstValue("X-Cache").orElse(""))) {
        return i;
      }
    }
    throw new IllegalStateException("no cache hit after 20 reads");
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      airtable.close();
    }
  }
}
