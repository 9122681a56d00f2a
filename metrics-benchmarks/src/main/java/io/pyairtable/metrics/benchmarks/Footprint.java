package io.pyairtable.metrics.benchmarks;

import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Measures what the original README only claimed: the heap a collector holds and the bytes one
 * scrape sends, for a service with a realistic set of series and for one family filled to its
 * series budget. Each figure is the median of several runs in one JVM, against the heap measured
 * just before in the same run.
 *
 * <pre>
 * java -cp metrics-benchmarks/target/benchmarks.jar io.pyairtable.metrics.benchmarks.Footprint 5
 * </pre>
 */
public final class Footprint {

  private Footprint() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Long> service = new ArrayList<>();
    List<Long> budget = new ArrayList<>();
    List<Integer> scrape = new ArrayList<>();
    List<Long> gzipped = new ArrayList<>();
    List<Integer> series = new ArrayList<>();
    List<MetricsCollector> keep = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      long before = usedHeap();
      MetricsCollector c = Metrics.builder(Map.of()).serviceName("footprint-" + r).initialize();
      populateService(c);
      long afterService = usedHeap();
      String text = c.exportMetrics();
      scrape.add(text.getBytes(StandardCharsets.UTF_8).length);
      gzipped.add(gzip(text));
      series.add((int) text.lines().filter(l -> !l.startsWith("#")).count());
      text = null; // not part of the next measurement
      afterService = usedHeap();
      for (int i = 0; i < 1_000; i++) {
        c.recordCacheOperation("op-" + i, "hit");
      }
      long afterBudget = usedHeap();
      keep.add(c); // stays reachable until measured
      service.add(afterService - before);
      budget.add(afterBudget - afterService);
    }
    System.out.printf("collector with a typical service's series: median %.2f MiB heap (%d samples exposed)%n",
        median(service) / 1048576.0, median(series.stream().map(Integer::longValue).toList()));
    System.out.printf("one family filled to its budget of 1,000 combinations: median %.0f bytes per series%n",
        median(budget) / 1000.0);
    long bytes = median(scrape.stream().map(Integer::longValue).toList());
    long zipped = median(gzipped);
    System.out.printf("one scrape of that service (Prometheus text): median %d bytes, %d gzipped (as Prometheus"
        + " asks for it); at a 15 s interval %.0f KB/min, %.0f KB/min gzipped%n",
        bytes, zipped, bytes * 4 / 1000.0, zipped * 4 / 1000.0);
    System.out.println("(collectors kept: " + keep.size() + ")");
  }

  /** The series of an Airtable gateway under demo-like traffic. */
  static void populateService(MetricsCollector c) {
    String[] methods = {"GET", "POST", "PATCH", "DELETE"};
    int[] statuses = {200, 201, 400, 404, 429, 500};
    for (int e = 0; e < 12; e++) {
      for (String m : methods) {
        for (int s : statuses) {
          c.recordHttpRequest(m, "/bases/{baseId}/tables/{table}/records/" + e, s, 0.05, 100, 2000);
        }
      }
      c.recordError("IllegalStateException", "/route/" + e);
    }
    for (int b = 0; b < 5; b++) {
      String base = "app" + "0123456789ABCD".substring(0, 13) + b;
      for (String t : new String[] {"Users", "Orders", "Products"}) {
        for (String op : new String[] {"list", "get", "create", "update", "delete"}) {
          c.recordAirtableRequest(base, t, op, 200, 0.2);
          c.airtableGateway().recordCacheOperation("get", base, t, "hit");
        }
      }
      c.recordRateLimitHit(base, "base");
      c.updateRateLimitRemaining(base, "base", 3);
      c.airtableGateway().updateRequestQueueSize(base, 1);
      c.airtableGateway().updateQuotaUsage(base, "per_second", 60);
    }
    c.infrastructure().recordRedisOperation("GET", true, 0.001);
    c.infrastructure().recordRedisOperation("SET", true, 0.001);
    c.infrastructure().updateDatabaseConnections("sessions", 1, 4, 0, 5);
    c.recordBusinessOperation("sync", true, 1.2);
  }

  private static long gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size();
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      best = Math.min(best, rt.totalMemory() - rt.freeMemory());
    }
    return best;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
