package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo started by {@link Demo#start}: the four services' ports and URLs, the helpers it started
 * (emulators, Redis, Prometheus, traffic) and {@link #close()}, which stops everything it started in
 * reverse order. {@link #awaitStop()} blocks until the configured duration has passed or the demo
 * was closed.
 *
 * <pre>{@code
 * try (RunningDemo demo = Demo.start(DemoOptions.builder().basePort(0).environment(Map.of()).build())) {
 *   String metrics = demo.metricsUrl(ServiceCatalog.AIRTABLE_GATEWAY);
 * }
 * }</pre>
 */
public final class RunningDemo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunningDemo.class);

  private final Map<ServiceCatalog, Integer> ports;
  private final AirtableEmulator airtableEmulator;
  private final String redisUrl;
  private final String prometheusUrl;
  private final String apiKey;
  private final DemoTraffic traffic;
  private final Deque<AutoCloseable> resources;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  RunningDemo(Map<ServiceCatalog, Integer> ports, AirtableEmulator airtableEmulator, String redisUrl,
      String prometheusUrl, String apiKey, DemoTraffic traffic, Deque<AutoCloseable> resources) {
    this.ports = Collections.unmodifiableMap(new EnumMap<>(ports));
    this.airtableEmulator = airtableEmulator;
    this.redisUrl = redisUrl;
    this.prometheusUrl = prometheusUrl;
    this.apiKey = apiKey;
    this.traffic = traffic;
    this.resources = new ArrayDeque<>(resources);
  }

  /** The port each service listens on. */
  public Map<ServiceCatalog, Integer> ports() {
    return ports;
  }

  /** {@code http://127.0.0.1:PORT} of a service. */
  public String baseUrl(ServiceCatalog service) {
    return "http://127.0.0.1:" + ports.get(service);
  }

  /** The metrics endpoint of a service. */
  public String metricsUrl(ServiceCatalog service) {
    return baseUrl(service) + "/metrics";
  }

  /** The Airtable emulator behind the Airtable gateway (empty when it calls the real API). */
  public Optional<AirtableEmulator> airtableEmulator() {
    return Optional.ofNullable(airtableEmulator);
  }

  /** The Redis the services use (empty: the demo runs without Redis). */
  public Optional<String> redisUrl() {
    return Optional.ofNullable(redisUrl);
  }

  /** The local Prometheus, when {@code --with-prometheus} started one. */
  public Optional<String> prometheusUrl() {
    return Optional.ofNullable(prometheusUrl);
  }

  /** The API key the gateway accepts. */
  public String apiKey() {
    return apiKey;
  }

  /** The traffic generator (empty when traffic is off). */
  public Optional<DemoTraffic> traffic() {
    return Optional.ofNullable(traffic);
  }

  /** Blocks until {@link #close()} is called (by a shutdown hook, the duration timer or another thread). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** As {@link #awaitStop()}, at most {@code timeout}; true when stopped. */
  public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.await(timeout, unit);
  }

  /** Stops everything the demo started, last started first; safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", r, e);
      }
    }
    stopped.countDown();
  }
}
