package io.pyairtable.metrics.examples.demo;

import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.examples.emulator.AirtableEmulator;
import io.pyairtable.metrics.examples.shutdown.OrderedShutdown;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A demo started by {@link Demo#start}: the four services' ports and URLs, the helpers it started
 * (emulators, Redis, Prometheus, traffic) and {@link #close()}, which runs the demo's one
 * {@link OrderedShutdown}: traffic first, then the services (API gateway first, each draining its
 * in-flight requests within one shared grace period), then Redis, Prometheus and the emulators.
 * {@link #awaitStop()} blocks until that shutdown has run, whoever started it (close, the
 * duration timer, the JVM's shutdown hook).
 *
 * <pre>{@code
 * try (RunningDemo demo = Demo.start(DemoOptions.builder().basePort(0).environment(Map.of()).build())) {
 *   String metrics = demo.metricsUrl(ServiceCatalog.AIRTABLE_GATEWAY);
 * }
 * }</pre>
 */
public final class RunningDemo implements AutoCloseable {

  private final String host;
  private final Map<ServiceCatalog, Integer> ports;
  private final AirtableEmulator airtableEmulator;
  private final String geminiEmulatorUrl;
  private final String redisUrl;
  private final DemoMonitoring monitoring;
  private final String apiKey;
  private final DemoTraffic traffic;
  private final OrderedShutdown shutdown;
  private final Stopped stopped;

  /** Registered first with the shutdown, so it is the last step: releases {@link #awaitStop()}. */
  static final class Stopped implements AutoCloseable {
    private final CountDownLatch latch = new CountDownLatch(1);

    @Override
    public void close() {
      latch.countDown();
    }
  }

  RunningDemo(String host, Map<ServiceCatalog, Integer> ports, AirtableEmulator airtableEmulator,
      String geminiEmulatorUrl, String redisUrl, DemoMonitoring monitoring, String apiKey, DemoTraffic traffic,
      OrderedShutdown shutdown, Stopped stopped) {
    this.host = host;
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    this.airtableEmulator = airtableEmulator;
    this.geminiEmulatorUrl = geminiEmulatorUrl;
    this.redisUrl = redisUrl;
    this.monitoring = monitoring;
    this.apiKey = apiKey;
    this.traffic = traffic;
    this.shutdown = shutdown;
    this.stopped = stopped;
  }

  /** The port each service listens on. */
  public Map<ServiceCatalog, Integer> ports() {
    return ports;
  }

  /** The address the services are reached at: the bind address, or 127.0.0.1 for a wildcard bind. */
  public String host() {
    return host;
  }

  /** {@code http://HOST:PORT} of a service. */
  public String baseUrl(ServiceCatalog service) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ports.get(service);
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

  /** The Gemini emulator behind the LLM orchestrator (empty when it calls a configured Gemini). */
  public Optional<String> geminiEmulatorUrl() {
    return Optional.ofNullable(geminiEmulatorUrl);
  }

  /** The local Prometheus, when {@code --with-prometheus} or {@code --with-alertmanager} started one. */
  public Optional<String> prometheusUrl() {
    return monitoring.prometheus();
  }

  /** The local Prometheus, Alertmanager and console receiver the demo started. */
  public DemoMonitoring monitoring() {
    return monitoring;
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
    stopped.latch.await();
  }

  /** As {@link #awaitStop()}, at most {@code timeout}; true when stopped. */
  public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.latch.await(timeout, unit);
  }

  /** Runs the demo's ordered shutdown (see the class comment); safe to call twice. */
  @Override
  public void close() {
    shutdown.close();
  }
}
