package io.pyairtable.metrics.examples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayConfig;
import io.pyairtable.metrics.examples.airtable.AirtableGatewayService;
import io.pyairtable.metrics.examples.demo.LocalAlertmanager;
import io.pyairtable.metrics.examples.demo.LocalPrometheus;
import io.pyairtable.metrics.examples.demo.LoopbackPorts;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.monitoring.rules.AlertTiming;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Delivery, not just validation: the real {@code prometheus} and the real Alertmanager (Debian's
 * {@code prometheus-alertmanager}) on free loopback ports, with the exported rules and routes and
 * short timings (5 s scrape and evaluation, {@code for} 2 s, group_wait 1 s, group_interval 2 s),
 * watch a running Airtable gateway. Its Slack receiver posts to a loopback webhook; the test reads
 * the Slack JSON (channel, attachment title and text) for ServiceDown when the service stops and
 * its resolution when it comes back on the same port, then for CircuitBreakerOpen driven by
 * injected upstream failures and its resolution once the upstream heals.
 */
class AlertDeliveryTest {

  private static final String SERVICE = ServiceCatalog.AIRTABLE_GATEWAY.serviceName();
  private static final String BASE = "appDeliveryTest01";
  private static final String TABLE = "Tasks";
  private static final Duration NOTIFICATION_DEADLINE = Duration.ofSeconds(60);
  private static final AlertTiming FAST = AlertTiming.production().withAllFor("2s").groupWait("1s")
      .groupInterval("2s").repeatInterval("1h");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void serviceDownAndUpstreamFaultsReachSlackWithSummaryAndRunbookAndResolve() throws Exception {
    Path alertmanagerBinary = LocalAlertmanager.binary().orElseThrow(
        () -> new AssertionError("prometheus-alertmanager is not installed (bin/run-tests installs it)"));
    int port = LoopbackPorts.free();
    try (SlackWebhook slack = new SlackWebhook();
        AirtableEmulator airtable = AirtableEmulator.builder().build().start();
        LocalAlertmanager alertmanager = LocalAlertmanager.start(alertmanagerBinary, slack.url(), null, FAST);
        LocalPrometheus prometheus = LocalPrometheus.startIfInstalled("127.0.0.1",
            Map.of(ServiceCatalog.AIRTABLE_GATEWAY, port), alertmanager.hostPort(), FAST).orElseThrow()) {
      airtable.seedSampleRecords(BASE, TABLE, 20);
      AirtableGatewayService gateway = startGateway(airtable, port);
      try {
        String up = prometheus.url() + "/api/v1/query?query=up%7Bjob%3D%22pyairtable-airtable-gateway%22%7D%3D%3D1";
        assertThat(poll(() -> body(up).contains("\"value\""), Duration.ofSeconds(30))).as("target up").isTrue();

        // The service stops: ServiceDown reaches Slack, critical channel, summary and runbook included.
        gateway.close();
        JsonNode down = await(slack, "[FIRING] ServiceDown on " + SERVICE);
        assertThat(down.path("channel").asText()).isEqualTo("#alerts-critical");
        String text = down.path("attachments").path(0).path("text").asText();
        assertThat(text).startsWith("*" + SERVICE + " is down*\n")
            .contains("Prometheus has failed to scrape pyairtable-" + SERVICE + " at 127.0.0.1:" + port
                + " for more than 2s.")
            .contains("Runbook: Check that the process or pod of " + SERVICE + " is running");

        // It comes back on the same port: the resolved notification follows.
        gateway = startGateway(airtable, port);
        JsonNode resolved = await(slack, "[RESOLVED] ServiceDown on " + SERVICE);
        assertThat(resolved.path("attachments").path(0).path("text").asText()).startsWith("*" + SERVICE + " is down*");

        // The upstream fails: three 502s open the breaker, CircuitBreakerOpen reaches Slack.
        airtable.injectFault(AirtableEmulator.Fault.SERVER_ERROR, 1.0);
        for (int i = 1; i <= 3; i++) {
          assertThat(status(records(port) + "?pageSize=" + i)).isEqualTo(502);
        }
        JsonNode open = await(slack, "[FIRING] CircuitBreakerOpen on " + SERVICE);
        assertThat(open.path("attachments").path(0).path("text").asText())
            .startsWith("*Circuit breaker " + AirtableGatewayService.CIRCUIT_NAME + " is open on " + SERVICE + "*\n")
            .contains("Runbook: The dependency behind " + AirtableGatewayService.CIRCUIT_NAME + " is failing");

        // The upstream heals: once half-open trial calls succeed the breaker closes and the alert resolves.
        airtable.clearFault();
        int[] page = {10};
        assertThat(poll(() -> status(records(port) + "?pageSize=" + page[0]++) == 200, Duration.ofSeconds(30)))
            .as("breaker lets calls through again").isTrue();
        for (int i = 0; i < 5; i++) {
          status(records(port) + "?pageSize=" + page[0]++);
        }
        JsonNode healed = await(slack, "[RESOLVED] CircuitBreakerOpen on " + SERVICE);
        assertThat(healed.path("channel").asText()).isEqualTo("#alerts-critical");
      } finally {
        gateway.close();
      }
    }
  }

  private static AirtableGatewayService startGateway(AirtableEmulator airtable, int port) {
    return AirtableGatewayService.start(AirtableGatewayConfig.builder().port(port)
            .upstream(URI.create(airtable.baseUrl()), airtable.apiKey()).breaker(3, Duration.ofSeconds(5)).build(),
        Metrics.builder(Map.of()).serviceName(SERVICE).version(AirtableGatewayService.VERSION).initialize());
  }

  private static String records(int port) {
    return "http://127.0.0.1:" + port + "/bases/" + BASE + "/tables/" + TABLE + "/records";
  }

  private JsonNode await(SlackWebhook slack, String title) throws InterruptedException {
    boolean arrived = poll(() -> slack.titled(title) != null, NOTIFICATION_DEADLINE);
    assertThat(arrived).as("Slack message '" + title + "'; received: " + slack.messages()).isTrue();
    return slack.titled(title);
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private String body(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  private static boolean poll(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return true;
  }
}
