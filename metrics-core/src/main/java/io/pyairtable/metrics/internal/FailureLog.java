package io.pyairtable.metrics.internal;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where failures inside the metrics layer go instead of into the caller: each is counted in
 * {@code metrics_internal_errors_total{operation}} and logged once per operation and exception
 * class, so a broken metric never breaks a request and never floods the log.
 *
 * <pre>{@code
 * try { ... } catch (RuntimeException e) { failures.contain("record_http_request", e); }
 * }</pre>
 */
public final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.pyairtable.metrics");
  private static final int MAX_LOGGED_KINDS = 256;

  private final String service;
  private final Counter errors;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public FailureLog(String service, Counter errors) {
    this.service = service;
    this.errors = errors;
  }

  /** Counts and (the first time for this operation and exception class) logs a contained failure. */
  public void contain(String operation, Throwable failure) {
    try {
      errors.labelValues(operation).inc();
      String kind = operation + ':' + failure.getClass().getName();
      if (logged.size() < MAX_LOGGED_KINDS && logged.add(kind)) {
        LOG.warn("metrics failure in {} for service {} (contained; further ones of this kind are only counted)",
            operation, service, failure);
      }
    } catch (RuntimeException ignored) {
      // the failure log itself must never throw
    }
  }

  /** Failures contained so far for an operation. */
  public double count(String operation) {
    return errors.labelValues(operation).get();
  }
}
