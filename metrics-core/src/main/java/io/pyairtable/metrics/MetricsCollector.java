package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.LabelSanitizer;
import io.pyairtable.metrics.internal.MetricNames;
import io.pyairtable.metrics.internal.Observations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The record API of one service: HTTP, errors, business operations, Airtable calls, caches, plus
 * one group per PyAirtable service and one for infrastructure. Each collector owns its registry,
 * so two collectors in one JVM never overwrite each other. Record calls never throw: a failure is
 * counted in {@code metrics_internal_errors_total} and logged once. With metrics disabled every
 * record call returns at once.
 *
 * <pre>{@code
 * MetricsCollector metrics = Metrics.initialize("airtable-gateway", "1.0.0");
 * metrics.recordHttpRequest("GET", "/bases/{baseId}/tables", 200, 0.042);
 * metrics.recordAirtableRequest("appXXXXXXXXXXXXXX", "Users", "list", 200, 0.25);
 * metrics.mcpServer().recordToolExecution("list_files", true, 0.8);
 * System.out.println(metrics.exportMetrics());
 * }</pre>
 */
public final class MetricsCollector implements BusinessOperationRecorder {

  private static final ExpositionFormatWriter TEXT = PrometheusTextFormatWriter.create();
  private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

  private final MetricsConfig config;
  private final boolean enabled;
  private final PrometheusRegistry prometheus;
  private final MetricsRegistry registry;
  private final FailureLog failures;

  private final HttpFamilies http;
  private final MetricFamily<CounterDataPoint> errors;
  private final LongAdder activeConnections = new LongAdder();
  private final MetricFamily<CounterDataPoint> businessOperations;
  private final MetricFamily<DistributionDataPoint> businessDuration;
  private final MetricFamily<CounterDataPoint> airtableRequests;
  private final MetricFamily<DistributionDataPoint> airtableDuration;
  private final MetricFamily<CounterDataPoint> rateLimitHits;
  private final MetricFamily<GaugeDataPoint> rateLimitRemaining;
  private final MetricFamily<CounterDataPoint> cacheOperations;
  private final GaugeDataPoint cacheHitRatio;

  private final InfrastructureMetrics infrastructure;
  private final AirtableGatewayMetrics airtableGateway;
  private final McpServerMetrics mcpServer;
  private final LlmOrchestratorMetrics llmOrchestrator;
  private final ApiGatewayMetrics apiGateway;

  MetricsCollector(MetricsConfig config, PrometheusRegistry prometheus) {
    this.config = config;
    this.enabled = config.enabled();
    this.prometheus = prometheus;
    this.registry = new MetricsRegistry(config, prometheus);
    this.failures = registry.failures();

    this.http = registry.http();
    this.errors = registry.family(ERRORS_TOTAL);
    // a LongAdder per request (striped: request threads on different cores do not fight over one
    // cache line as on a Gauge's CAS loop), read by the gauge at scrape time
    registry.callbackGauge(ACTIVE_CONNECTIONS, activeConnections::sum);
    this.businessOperations = registry.family(BUSINESS_OPERATIONS_TOTAL);
    this.businessDuration = registry.family(BUSINESS_OPERATION_DURATION_SECONDS);
    this.airtableRequests = registry.family(AIRTABLE_API_REQUESTS_TOTAL);
    this.airtableDuration = registry.family(AIRTABLE_API_DURATION_SECONDS);
    this.rateLimitHits = registry.family(AIRTABLE_RATE_LIMIT_HITS_TOTAL);
    this.rateLimitRemaining = registry.family(AIRTABLE_RATE_LIMIT_REMAINING);
    this.cacheOperations = registry.family(CACHE_OPERATIONS_TOTAL);
    this.cacheHitRatio = registry.<GaugeDataPoint>family(CACHE_HIT_RATIO).labels();

    this.infrastructure = new InfrastructureMetrics(registry, enabled, failures);
    this.airtableGateway = new AirtableGatewayMetrics(registry, enabled, failures);
    this.mcpServer = new McpServerMetrics(registry, enabled, failures);
    this.llmOrchestrator = new LlmOrchestratorMetrics(registry, enabled, failures);
    this.apiGateway = new ApiGatewayMetrics(registry, enabled, failures);

    registerServiceInfo();
    if (config.jvmMetrics() && enabled) {
      JvmMetrics.builder().constLabels(registry.constLabels()).register(prometheus);
    }
  }

  private void registerServiceInfo() {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    names.add("version");
    values.add(config.version());
    for (Map.Entry<String, String> e : config.info().entrySet()) {
      names.add(e.getKey());
      values.add(e.getValue());
    }
    MetricNames.checkLabelNames(SERVICE_INFO.name(), names, Set.of("service", "job", "instance"));
    Info info = Info.builder().name(SERVICE_INFO.baseName()).help(SERVICE_INFO.help())
        .labelNames(names.toArray(String[]::new)).constLabels(Labels.of("service", config.serviceName()))
        .register(prometheus);
    info.setLabelValues(values.toArray(String[]::new));
  }

  // --- identity -----------------------------------------------------------------------------------

  public String serviceName() {
    return config.serviceName();
  }

  public String version() {
    return config.version();
  }

  /** False when metrics are switched off ({@code METRICS_ENABLED=false}). */
  public boolean enabled() {
    return enabled;
  }

  public MetricsConfig config() {
    return config;
  }

  /** This collector's registry, for custom metrics. */
  public MetricsRegistry registry() {
    return registry;
  }

  /** The client_java registry behind this collector, for exporters. */
  public PrometheusRegistry prometheusRegistry() {
    return prometheus;
  }

  /** Redis, database and circuit-breaker metrics. */
  public InfrastructureMetrics infrastructure() {
    return infrastructure;
  }

  /** Airtable gateway metrics. */
  public AirtableGatewayMetrics airtableGateway() {
    return airtableGateway;
  }

  /** MCP server metrics. */
  public McpServerMetrics mcpServer() {
    return mcpServer;
  }

  /** LLM orchestrator metrics. */
  public LlmOrchestratorMetrics llmOrchestrator() {
    return llmOrchestrator;
  }

  /** API gateway metrics. */
  public ApiGatewayMetrics apiGateway() {
    return apiGateway;
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  /** One finished HTTP request: counted and timed (sizes not known). */
  public void recordHttpRequest(String method, String endpoint, int statusCode, double durationSeconds) {
    recordHttpRequest(method, endpoint, statusCode, durationSeconds, -1, -1, null);
  }

  /** One finished HTTP request with its body sizes in bytes (a negative size means unknown). */
  public void recordHttpRequest(String method, String endpoint, int statusCode, double durationSeconds,
      long requestBytes, long responseBytes) {
    recordHttpRequest(method, endpoint, statusCode, durationSeconds, requestBytes, responseBytes, null);
  }

  /**
   * One finished HTTP request; {@code correlationId}, when not null, becomes an exemplar of the
   * duration (visible in the OpenMetrics format). Exemplar labels are built at most every 100 ms per
   * series, about as often as client_java keeps one, so the common call allocates nothing.
   */
  public void recordHttpRequest(String method, String endpoint, int statusCode, double durationSeconds,
      long requestBytes, long responseBytes, String correlationId) {
    if (!enabled) {
      return;
    }
    try {
      http.record(http.series(method, endpoint, statusCode), durationSeconds, requestBytes, responseBytes,
          correlationId);
    } catch (RuntimeException e) {
      failures.contain(HttpFamilies.OPERATION, e);
    }
  }

  /**
   * A (method, endpoint) pair bound in advance, for callers that know their routes: its
   * {@code record(status, seconds, ...)} records exactly what {@link #recordHttpRequest} records
   * with the same values, without looking the two strings up again. See {@link HttpEndpoint}.
   *
   * <pre>{@code
   * HttpEndpoint listTables = metrics.httpEndpoint("GET", "/bases/{baseId}/tables");
   * listTables.record(200, 0.042, 0, 2048);
   * }</pre>
   */
  public HttpEndpoint httpEndpoint(String method, String endpoint) {
    return new HttpEndpoint(http, enabled, failures, method, endpoint);
  }

  /** One error: {@code errorType} is an exception's simple class name or a fixed kind such as {@code http_5xx}. */
  public void recordError(String errorType, String endpoint) {
    if (!enabled) {
      return;
    }
    try {
      errors.labels(errorType, endpoint).inc();
    } catch (RuntimeException e) {
      failures.contain("record_error", e);
    }
  }

  /** A request started: {@code active_connections} up by one. */
  public void incrementActiveConnections() {
    if (enabled) {
      activeConnections.increment();
    }
  }

  /** A request ended: {@code active_connections} down by one. */
  public void decrementActiveConnections() {
    if (enabled) {
      activeConnections.decrement();
    }
  }

  // --- business operations ------------------------------------------------------------------------

  /** One finished business operation. */
  @Override
  public void recordBusinessOperation(String operationType, boolean success, double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      businessOperations.labels(operationType, success ? "success" : "failure").inc();
      businessDuration.labels(operationType).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_business_operation", e);
    }
  }

  /** Starts a timer for try-with-resources; see {@link OperationTimer}. */
  public OperationTimer startOperation(String operationType) {
    return new OperationTimer(this, operationType);
  }

  /** Runs and times {@code supplier}; see {@link Timed}. */
  public <T> T timed(String operationType, Supplier<T> supplier) {
    return Timed.timed(this, operationType, supplier);
  }

  /** Runs and times {@code runnable}; see {@link Timed}. */
  public void timed(String operationType, Runnable runnable) {
    Timed.timed(this, operationType, runnable);
  }

  /** Starts a stage and times it until it completes; see {@link Timed}. */
  public <T> CompletionStage<T> timedStage(String operationType, Supplier<? extends CompletionStage<T>> stage) {
    return Timed.timedStage(this, operationType, stage);
  }

  // --- Airtable -----------------------------------------------------------------------------------

  /** One call to the Airtable Web API. */
  public void recordAirtableRequest(String baseId, String tableName, String operation, int statusCode,
      double durationSeconds) {
    if (!enabled) {
      return;
    }
    try {
      airtableRequests.labels(baseId, tableName, operation, LabelSanitizer.statusCode(statusCode)).inc();
      airtableDuration.labels(baseId, tableName, operation).observe(Observations.seconds(durationSeconds));
    } catch (RuntimeException e) {
      failures.contain("record_airtable_request", e);
    }
  }

  /** A request refused by a rate limit; {@code limitType} is base, token or upstream_429. */
  public void recordRateLimitHit(String baseId, String limitType) {
    if (!enabled) {
      return;
    }
    try {
      rateLimitHits.labels(baseId, limitType).inc();
    } catch (RuntimeException e) {
      failures.contain("record_rate_limit_hit", e);
    }
  }

  /**
   * Requests left in the current window of a limit. Also makes the hit counter of that base and
   * limit visible at 0, so {@code increase()} in alerts sees the very first hit.
   */
  public void updateRateLimitRemaining(String baseId, String limitType, double remaining) {
    if (!enabled) {
      return;
    }
    try {
      rateLimitHits.labels(baseId, limitType);
      rateLimitRemaining.labels(baseId, limitType).set(Observations.nonNegative("remaining", remaining));
    } catch (RuntimeException e) {
      failures.contain("update_rate_limit_remaining", e);
    }
  }

  // --- caches -------------------------------------------------------------------------------------

  /** One cache operation, for example ({@code get}, {@code hit}) or ({@code put}, {@code success}). */
  public void recordCacheOperation(String operation, String result) {
    if (!enabled) {
      return;
    }
    try {
      cacheOperations.labels(operation, result).inc();
    } catch (RuntimeException e) {
      failures.contain("record_cache_operation", e);
    }
  }

  /** The cache hit ratio, 0 to 1. */
  public void updateCacheHitRatio(double ratio) {
    if (!enabled) {
      return;
    }
    try {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException("cache hit ratio must be between 0 and 1, was " + ratio);
      }
      cacheHitRatio.set(ratio);
    } catch (RuntimeException e) {
      failures.contain("update_cache_hit_ratio", e);
    }
  }

  // --- exposition ---------------------------------------------------------------------------------

  /** A snapshot of every family; empty when metrics are disabled. */
  public MetricSnapshots scrape() {
    return enabled ? prometheus.scrape() : MetricSnapshots.of();
  }

  /** The Prometheus text exposition (format 0.0.4), as the README's {@code export_metrics()}. */
  public String exportMetrics() {
    return write(TEXT);
  }

  /** The OpenMetrics text exposition, exemplars included. */
  public String exportOpenMetrics() {
    return write(OPEN_METRICS);
  }

  private String write(ExpositionFormatWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Contains a failure of a metrics component built on this collector (counted, logged once). */
  public void containFailure(String operation, Throwable failure) {
    failures.contain(operation, failure);
  }
}
