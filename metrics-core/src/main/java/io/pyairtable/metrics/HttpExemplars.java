package io.pyairtable.metrics;

import io.prometheus.metrics.model.snapshots.Exemplar;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.tracer.common.SpanContext;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;

/**
 * The exemplars {@link CellHttpSeries} keeps on the duration, built as client_java's exemplar
 * sampler builds a custom one: the offered {@code correlation_id}, plus {@code trace_id} and
 * {@code span_id} of the current span when a tracer is present (client_java's
 * {@code SpanContextSupplier}) and the span is sampled (the span is then marked as an exemplar),
 * the value and the wall-clock time. Exposed while not older than client_java's maximum retention
 * (70 s). Built only when an exemplar is due, never on the common record.
 *
 * <pre>{@code
 * Exemplar e = HttpExemplars.of(0.042, "req-7f3a");   // {correlation_id="req-7f3a"} 0.042 <now>
 * }</pre>
 */
final class HttpExemplars {

  /** client_java's default {@code maxRetentionPeriod}: an exemplar older than this is not exposed. */
  static final long MAX_RETENTION_MILLIS = 70_000;

  private HttpExemplars() {}

  /** The exemplar of one request's duration, offered with its correlation id. */
  static Exemplar of(double seconds, String correlationId) {
    return new Exemplar(seconds, withTraceContext(Labels.of(HttpStorage.EXEMPLAR_LABEL, correlationId)),
        System.currentTimeMillis());
  }

  private static Labels withTraceContext(Labels labels) {
    try {
      SpanContext span = SpanContextSupplier.getSpanContext();
      if (span != null && span.isCurrentSpanSampled()) {
        String spanId = span.getCurrentSpanId();
        String traceId = span.getCurrentTraceId();
        if (spanId != null && traceId != null) {
          span.markCurrentSpanAsExemplar();
          return labels.merge(Labels.of(Exemplar.TRACE_ID, traceId, Exemplar.SPAN_ID, spanId));
        }
      }
    } catch (NoClassDefFoundError | RuntimeException tracerUnavailable) {
      // no tracer on the class path, or one that failed: the correlation id alone
    }
    return labels;
  }
}
