package io.pyairtable.metrics.monitoring.grafana;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.pyairtable.metrics.monitoring.promql.Promql;

/**
 * The API gateway: routed requests and their latency, backend calls and backend health, and
 * authentication checks.
 *
 * <pre>{@code
 * ObjectNode json = ApiGatewayDashboard.build().toJson();
 * }</pre>
 */
public final class ApiGatewayDashboard {

  /** The stable uid. */
  public static final String UID = "pyairtable-api-gateway";

  private ApiGatewayDashboard() {}

  public static Dashboard build() {
    CatalogPanels panels = new CatalogPanels(Promql.dashboard());
    return new Dashboard(UID, "PyAirtable API Gateway",
        "Routing, backend health and authentication at the API gateway.")
        .tag("gateway")
        .panel(panels.rate("Routed requests", GATEWAY_ROUTE_REQUESTS_TOTAL, "reqps", "target_service", "status"))
        .panel(panels.quantiles("Routed request latency", GATEWAY_ROUTE_DURATION_SECONDS, "target_service"))
        .panel(panels.rate("Backend requests", GATEWAY_BACKEND_REQUESTS_TOTAL, "reqps", "backend_service", "status"))
        .panel(panels.currentState("Backend health", GATEWAY_BACKEND_HEALTH_STATUS, "backend_service",
            "backend_instance"))
        .panel(panels.rate("Authentication checks", GATEWAY_AUTH_REQUESTS_TOTAL, "ops", "auth_type", "status"))
        .panel(panels.rate("Gateway HTTP requests by route", HTTP_REQUESTS_TOTAL, "reqps", "endpoint",
            "status_code"));
  }
}
