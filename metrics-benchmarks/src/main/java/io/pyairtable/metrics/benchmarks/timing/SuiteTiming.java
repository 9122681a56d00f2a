package io.pyairtable.metrics.benchmarks.timing;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH benchmarks' shared run length: 3 warm-up and 5 measured iterations of 2 s each, in one
 * fork. JMH reads these annotations through the class hierarchy, so a benchmark extends this and
 * states only its own mode and unit; command-line options ({@code -wi -i -f}) still override.
 *
 * <pre>{@code
 * @State(Scope.Benchmark)
 * @BenchmarkMode(Mode.AverageTime)
 * @OutputTimeUnit(TimeUnit.NANOSECONDS)
 * public class RecordBenchmark extends SuiteTiming { ... }
 * }</pre>
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class SuiteTiming {
}
