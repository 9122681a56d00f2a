package io.pyairtable.metrics.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time the benchmark's worker threads spent per operation
 * ({@code cpu.worker.norm}, ns/op), next to JMH's wall-clock score. On a machine shared with
 * other work, wall-clock time includes the time the worker waited for a core; thread CPU time
 * does not, so it is the steadier figure for comparing two code paths measured minutes apart
 * (it still includes what sharing a core's caches costs).
 *
 * <pre>
 * java -jar metrics-benchmarks/target/benchmarks.jar RecordBenchmark \
 *     -prof io.pyairtable.metrics.benchmarks.WorkerCpuProfiler
 * </pre>
 */
public final class WorkerCpuProfiler implements InternalProfiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startCpu = new HashMap<>();

  @Override
  public String getDescription() {
    return "CPU time of the JMH worker threads per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpu.clear();
    for (Thread t : workers()) {
      startCpu.put(t.getId(), threads.getThreadCpuTime(t.getId()));
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    long cpu = 0;
    for (Thread t : workers()) {
      long now = threads.getThreadCpuTime(t.getId());
      if (now >= 0) {
        cpu += now - startCpu.getOrDefault(t.getId(), 0L);
      }
    }
    long ops = result.getMetadata().getAllOps();
    double perOp = ops > 0 ? (double) cpu / ops : Double.NaN;
    return List.of(new ScalarResult("cpu.worker.norm", perOp, "ns/op", AggregationPolicy.AVG));
  }

  private static List<Thread> workers() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("jmh-worker")).toList();
  }
}
