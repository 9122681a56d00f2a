package io.pyairtable.metrics.http.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.catalog.MetricCatalog;
import io.pyairtable.metrics.catalog.MetricDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's own metric families as JSON (what {@code /metrics/summary} serves): every family
 * created in the collector's registry plus {@code service_info}, each with its type, help and
 * series (counter and gauge values, histogram and summary count and sum, state-set states).
 * JVM and process families are left out.
 *
 * <pre>{@code
 * String json = MetricsSummary.json(collector);
 * // {"service":"my-service","version":"1.0.0","families":[{"name":"http_requests_total","type":"counter",...}]}
 * }</pre>
 */
public final class MetricsSummary {

  private static final JsonFactory JSON = new JsonFactory();

  private MetricsSummary() {}

  /** The summary of {@code collector}, UTF-8 JSON. */
  public static byte[] jsonBytes(MetricsCollector collector) {
    Map<String, String> exposedByBase = new HashMap<>();
    for (MetricDefinition definition : collector.registry().definitions()) {
      exposedByBase.put(definition.baseName(), definition.name());
    }
    exposedByBase.put(MetricCatalog.SERVICE_INFO.baseName(), MetricCatalog.SERVICE_INFO.name());
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("service", collector.serviceName());
      g.writeStringField("version", collector.version());
      g.writeArrayFieldStart("families");
      for (MetricSnapshot snapshot : collector.scrape()) {
        String exposed = exposedByBase.get(snapshot.getMetadata().getName());
        if (exposed == null) {
          continue;
        }
        writeFamily(g, exposed, snapshot);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The summary as a string. */
  public static String json(MetricsCollector collector) {
    return new String(jsonBytes(collector), StandardCharsets.UTF_8);
  }

  private static void writeFamily(JsonGenerator g, String name, MetricSnapshot snapshot) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeStringField("type", type(snapshot));
    g.writeStringField("help", snapshot.getMetadata().getHelp());
    g.writeArrayFieldStart("series");
    for (DataPointSnapshot point : snapshot.getDataPoints()) {
      g.writeStartObject();
      g.writeObjectFieldStart("labels");
      for (Label label : point.getLabels()) {
        g.writeStringField(label.getName(), label.getValue());
      }
      g.writeEndObject();
      if (point instanceof CounterSnapshot.CounterDataPointSnapshot) {
        g.writeNumberField("value", ((CounterSnapshot.CounterDataPointSnapshot) point).getValue());
      } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot) {
        g.writeNumberField("value", ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue());
      } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot) {
        HistogramSnapshot.HistogramDataPointSnapshot h = (HistogramSnapshot.HistogramDataPointSnapshot) point;
        g.writeNumberField("count", h.getCount());
        g.writeNumberField("sum", h.hasSum() ? h.getSum() : 0);
      } else if (point instanceof SummarySnapshot.SummaryDataPointSnapshot) {
        SummarySnapshot.SummaryDataPointSnapshot s = (SummarySnapshot.SummaryDataPointSnapshot) point;
        g.writeNumberField("count", s.getCount());
        g.writeNumberField("sum", s.hasSum() ? s.getSum() : 0);
      } else if (point instanceof StateSetSnapshot.StateSetDataPointSnapshot) {
        StateSetSnapshot.StateSetDataPointSnapshot s = (StateSetSnapshot.StateSetDataPointSnapshot) point;
        g.writeObjectFieldStart("states");
        for (int i = 0; i < s.size(); i++) {
          g.writeBooleanField(s.getName(i), s.isTrue(i));
        }
        g.writeEndObject();
      } else if (point instanceof InfoSnapshot.InfoDataPointSnapshot) {
        g.writeNumberField("value", 1);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String type(MetricSnapshot s) {
    if (s instanceof CounterSnapshot) {
      return "counter";
    } else if (s instanceof GaugeSnapshot) {
      return "gauge";
    } else if (s instanceof HistogramSnapshot) {
      return "histogram";
    } else if (s instanceof SummarySnapshot) {
      return "summary";
    } else if (s instanceof StateSetSnapshot) {
      return "stateset";
    } else if (s instanceof InfoSnapshot) {
      return "info";
    }
    return "unknown";
  }
}
