package io.pyairtable.metrics.examples.gateway;

import io.pyairtable.metrics.BackendHealth;
import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks every backend periodically with {@code GET /health}: a 2xx answer within the timeout is
 * {@code healthy}, anything else {@code unhealthy}; before the first check a backend is
 * {@code unknown}. The state goes to {@code gateway_backend_health_status} (exactly one state is 1).
 *
 * <pre>{@code
 * try (BackendHealthChecker checker = new BackendHealthChecker(backends, http, metrics, Duration.ofSeconds(5))) {
 *   checker.start();
 *   BackendHealth h = checker.health(backends.get(0));
 * }
 * }</pre>
 */
public final class BackendHealthChecker implements AutoCloseable {

  private final List<Backend> backends;
  private final HttpClient http;
  private final MetricsCollector metrics;
  private final Duration interval;
  private final Map<Backend, BackendHealth> current = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;

  public BackendHealthChecker(List<Backend> backends, HttpClient http, MetricsCollector metrics, Duration interval) {
    this.backends = List.copyOf(backends);
    this.http = http;
    this.metrics = metrics;
    this.interval = interval;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, metrics.serviceName() + "-health-checks");
      t.setDaemon(true);
      return t;
    });
    for (Backend b : this.backends) {
      set(b, BackendHealth.UNKNOWN);
    }
  }

  /** Starts the periodic checks; the first round runs at once. */
  public BackendHealthChecker start() {
    scheduler.scheduleWithFixedDelay(this::checkAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Checks every backend once, now, on the calling thread. */
  public void checkAll() {
    for (Backend b : backends) {
      set(b, check(b));
    }
  }

  /** The state of {@code backend} from the latest check. */
  public BackendHealth health(Backend backend) {
    return current.getOrDefault(backend, BackendHealth.UNKNOWN);
  }

  private BackendHealth check(Backend backend) {
    HttpRequest request = HttpRequest.newBuilder(backend.resolve("/health")).timeout(interval.compareTo(
        Duration.ofSeconds(2)) < 0 ? interval : Duration.ofSeconds(2)).GET().build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2 ? BackendHealth.HEALTHY : BackendHealth.UNHEALTHY;
    } catch (IOException e) {
      return BackendHealth.UNHEALTHY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return health(backend);
    }
  }

  private void set(Backend backend, BackendHealth health) {
    current.put(backend, health);
    metrics.apiGateway().updateBackendHealth(backend.service(), backend.instance(), health);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
