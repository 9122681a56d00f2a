package io.pyairtable.metrics;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.pyairtable.metrics.internal.FailureLog;
import io.pyairtable.metrics.internal.Observations;

/**
 * Metrics of the Airtable gateway: its response cache, quota usage, request queue, webhooks and
 * the rate limiter's Redis fallback. Airtable API calls themselves go through
 * {@link MetricsCollector#recordAirtableRequest}.
 *
 * <pre>{@code
 * AirtableGatewayMetrics gw = collector.airtableGateway();
 * gw.recordCacheOperation("get", "appXXXXXXXXXXXXXX", "Users", "hit");
 * gw.updateRequestQueueSize("appXXXXXXXXXXXXXX", 3);
 * gw.recordWebhookEvent("appXXXXXXXXXXXXXX", "tableData", "processed");
 * }</pre>
 */
public final class AirtableGatewayMetrics extends DomainRecorder {

  private final MetricFamily<CounterDataPoint> cacheOperations;
  private final MetricFamily<GaugeDataPoint> quotaUsage;
  private final MetricFamily<GaugeDataPoint> queueSize;
  private final MetricFamily<CounterDataPoint> webhookEvents;
  private final MetricFamily<CounterDataPoint> limiterFallback;
  private final MetricFamily<CounterDataPoint> queueDropped;

  AirtableGatewayMetrics(MetricsRegistry registry, boolean enabled, FailureLog failures) {
    super(registry, enabled, failures);
    cacheOperations = registry.family(AIRTABLE_CACHE_OPERATIONS_TOTAL);
    quotaUsage = registry.family(AIRTABLE_API_QUOTA_USAGE);
    queueSize = registry.family(AIRTABLE_REQUEST_QUEUE_SIZE);
    webhookEvents = registry.family(AIRTABLE_WEBHOOK_EVENTS_TOTAL);
    limiterFallback = registry.family(AIRTABLE_RATE_LIMITER_FALLBACK_TOTAL);
    queueDropped = registry.family(AIRTABLE_REQUEST_QUEUE_DROPPED_TOTAL);
  }

  /** One response-cache operation ({@code get}/{@code hit}, {@code get}/{@code miss}, {@code put}/{@code success}, ...). */
  public void recordCacheOperation(String operation, String baseId, String tableName, String result) {
    if (!enabled) {
      return;
    }
    try {
      cacheOperations.labels(operation, baseId, tableName, result).inc();
    } catch (RuntimeException e) {
      failures.contain("record_airtable_cache_operation", e);
    }
  }

  /** Share of a quota in use, in percent 0 to 100 ({@code quotaType}: per_second, monthly_billing, ...). */
  public void updateQuotaUsage(String baseId, String quotaType, double percent) {
    if (!enabled) {
      return;
    }
    try {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("quota usage must be a percentage between 0 and 100, was " + percent);
      }
      quotaUsage.labels(baseId, quotaType).set(percent);
    } catch (RuntimeException e) {
      failures.contain("update_quota_usage", e);
    }
  }

  /** Requests of a base waiting for a rate-limit slot. */
  public void updateRequestQueueSize(String baseId, int size) {
    if (!enabled) {
      return;
    }
    try {
      queueSize.labels(baseId).set(Observations.nonNegative("queue size", size));
    } catch (RuntimeException e) {
      failures.contain("update_request_queue_size", e);
    }
  }

  /** One webhook notification, with what became of it ({@code processed}, {@code invalid_signature}, ...). */
  public void recordWebhookEvent(String baseId, String eventType, String status) {
    if (!enabled) {
      return;
    }
    try {
      webhookEvents.labels(baseId, eventType, status).inc();
    } catch (RuntimeException e) {
      failures.contain("record_webhook_event", e);
    }
  }

  /** A rate-limit decision taken in-process because Redis was unreachable ({@code fail_open} or {@code fail_closed}). */
  public void recordRateLimiterFallback(String mode) {
    if (!enabled) {
      return;
    }
    try {
      limiterFallback.labels(mode).inc();
    } catch (RuntimeException e) {
      failures.contain("record_rate_limiter_fallback", e);
    }
  }

  /** Makes the fallback counter of a mode visible at 0 before the first fallback. */
  public void initRateLimiterFallback(String mode) {
    if (enabled) {
      try {
        limiterFallback.labels(mode);
      } catch (RuntimeException e) {
        failures.contain("init_rate_limiter_fallback", e);
      }
    }
  }

  /**
   * A request dropped from the request queue without calling Airtable and answered 503:
   * {@code deadline} (its client's deadline passed while it waited), {@code queue_full} or
   * {@code shutdown}.
   */
  public void recordRequestQueueDrop(String reason) {
    if (!enabled) {
      return;
    }
    try {
      queueDropped.labels(reason).inc();
    } catch (RuntimeException e) {
      failures.contain("record_request_queue_drop", e);
    }
  }

  /** Makes the drop counter of each reason visible at 0 before the first drop. */
  public void initRequestQueueDrops(String... reasons) {
    if (enabled) {
      for (String reason : reasons) {
        try {
          queueDropped.labels(reason);
        } catch (RuntimeException e) {
          failures.contain("init_request_queue_drops", e);
        }
      }
    }
  }
}
