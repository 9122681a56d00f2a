package io.pyairtable.metrics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The worker-CPU profiler yields a per-operation CPU time for a short in-process JMH run. */
class WorkerCpuProfilerTest {

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aShortRunReportsAPositiveFiniteCpuTimePerOperation() throws Exception {
    System.setProperty("jmh.ignoreLock", "true"); // a benchmark run elsewhere on the machine must not fail the test
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(RecordBenchmark.class.getSimpleName() + "\\.counterPreBoundClientJava$")
        .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
        .addProfiler(WorkerCpuProfiler.class).shouldDoGC(false).build()).run();

    assertThat(results).hasSize(1);
    Result<?> cpu = results.iterator().next().getSecondaryResults().get("cpu.worker.norm");
    assertThat(cpu).isNotNull();
    assertThat(cpu.getScoreUnit()).isEqualTo("ns/op");
    assertThat(cpu.getScore()).isPositive().isLessThan(1_000_000.0);
  }
}
