package io.pyairtable.metrics.http.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pyairtable.metrics.MetricsCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health endpoints answer, framework-neutral: runs every declared {@link HealthCheck}
 * (a check that throws is down, with the exception's class name) and reports
 * {@code {"status","service","version","checks":{name:{"status":"up"|"down","detail"}}}}.
 * Liveness is 200 with {@code ok} or {@code degraded}; readiness is 503 {@code unavailable}
 * when a check is down.
 *
 * <pre>{@code
 * HealthReport health = new HealthReport(collector, Map.of("redis", new RedisHealthCheck(url, timeout, collector)));
 * HealthReport.Reply ready = health.ready();   // ready.status() 200 or 503, ready.body() JSON
 * }</pre>
 */
public final class HealthReport {

  private static final JsonFactory JSON = new JsonFactory();

  /** A status code and a JSON body. */
  public record Reply(int status, byte[] body) {
  }

  private final MetricsCollector metrics;
  private final Map<String, HealthCheck> checks;

  public HealthReport(MetricsCollector metrics, Map<String, HealthCheck> checks) {
    this.metrics = metrics;
    this.checks = new LinkedHashMap<>(checks);
  }

  /** Liveness: 200 while the process serves, with the dependency report. */
  public Reply live() {
    return report(false);
  }

  /** Readiness: 503 when a declared dependency is down. */
  public Reply ready() {
    return report(true);
  }

  private Reply report(boolean readiness) {
    Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
    boolean allUp = true;
    for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
      HealthCheck.Result r;
      try {
        r = e.getValue().check();
      } catch (Exception ex) {
        r = HealthCheck.Result.down(ex.getClass().getSimpleName());
      }
      results.put(e.getKey(), r);
      allUp &= r.healthy();
    }
    String status = allUp ? "ok" : readiness ? "unavailable" : "degraded";
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", status);
      g.writeStringField("service", metrics.serviceName());
      g.writeStringField("version", metrics.version());
      g.writeObjectFieldStart("checks");
      for (Map.Entry<String, HealthCheck.Result> e : results.entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("status", e.getValue().healthy() ? "up" : "down");
        if (e.getValue().detail() != null) {
          g.writeStringField("detail", e.getValue().detail());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Reply(readiness && !allUp ? 503 : 200, out.toByteArray());
  }
}
