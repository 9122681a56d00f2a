package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.Observations;

/**
 * Metrics of the API gateway: routed requests, backend calls and health, authentication.
 *
 * <pre>{@code
 * ApiGatewayMetrics gw = collector.apiGateway();
 * gw.recordRouteRequest("web", "airtable-gateway", "/api/airtable/*", "200", 0.08);
 * gw.recordBackendRequest("airtable-gateway", "127.0.0.1:8002", "200");
 * gw.updateBackendHealth("airtable-gateway", "127.0.0.1:8002", BackendHealth.HEALTHY);
 * gw.recordAuthRequest("api_key", "success");
 * }</pre>
 */
public final class ApiGatewayMetrics extends DomainRecorder {

  private final MetricFamily<CounterDataPoint> routeRequests;
  private final MetricFamily<DistributionDataPoint> routeDuration;
  private final MetricFamily<CounterDataPoint> backendRequests;
  private final ExclusiveStateSet backendHealth;
  private final MetricFamily<CounterDataPoint> authRequests;

  ApiGatewayMetrics(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    super(registry, enabled, failures);
    routeRequests = registry.family(GATEWAY_ROUTE_REQUESTS_TOTAL);
    routeDuration = registry.family(GATEWAY_ROUTE_DURATION_SECONDS);
    backendRequests = registry.family(GATEWAY_BACKEND_REQUESTS_TOTAL);
    backendHealth = registry.exclusiveStateSet(GATEWAY_BACKEND_HEALTH_STATUS);
    authRequests = registry.family(GATEWAY_AUTH_REQUESTS_TOTAL);
  }

  /** One routed request: {@code status} is the status code sent back, or a fixed kind such as {@code circuit_open}. */
  public void recordRouteRequest(String sourceService, String targetService, String route, String status,
      double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      routeRequests.labels(sourceService, targetService, route, status).inc();
      routeDuration.labels(sourceService, targetService, route).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_route_request", e);
    }
  }

  /** One request to a backend instance, with its status code or a fixed kind ({@code connect_error}, ...). */
  public void recordBackendRequest(String backendService, String backendInstance, String status) {
    if (!enabled) {
      return;
    }
    try {
      backendRequests.labels(backendService, backendInstance, status).inc();
    } catch (RuntimeException e) {
      failures.contain("record_backend_request", e);
    }
  }

  /** The health of a backend instance from the latest check. */
  public void updateBackendHealth(String backendService, String backendInstance, BackendHealth health) {
    if (!enabled) {
      return;
    }
    try {
      backendHealth.set(health.label(), backendService, backendInstance);
    } catch (RuntimeException e) {
      failures.contain("update_backend_health", e);
    }
  }

  /** The health {@code gateway_backend_health_status} currently shows for an instance. */
  public String backendHealth(String backendService, String backendInstance) {
    return backendHealth.get(backendService, backendInstance);
  }

  /** One authentication check: {@code authType} (api_key, bearer, ...) and {@code status} (success, failure, missing). */
  public void recordAuthRequest(String authType, String status) {
    if (!enabled) {
      return;
    }
    try {
      authRequests.labels(authType, status).inc();
    } catch (RuntimeException e) {
      failures.contain("record_auth_request", e);
    }
  }
}
