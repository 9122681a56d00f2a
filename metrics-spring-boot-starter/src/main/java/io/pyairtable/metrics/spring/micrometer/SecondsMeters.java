package io.pyairtable.metrics.spring.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JIT compilation time and the process CPU time in seconds: Micrometer registers them as
 * {@code jvm.compilation.time} in milliseconds and {@code process.cpu.time} in nanoseconds
 * (exposed as {@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total}, which
 * Prometheus' conventions reject); {@link PrometheusConventionsFilter} drops those, and this binder
 * registers the same readings under the same names in seconds
 * ({@code jvm_compilation_time_seconds_total}, {@code process_cpu_time_seconds_total}). Each is bound
 * only when its Micrometer binder is (the flags say so).
 *
 * <pre>{@code
 * new SecondsMeters(true, true).bindTo(registry);
 * }</pre>
 */
public final class SecondsMeters implements MeterBinder {

  static final String COMPILATION_TIME = "jvm.compilation.time";
  static final String PROCESS_CPU_TIME = "process.cpu.time";

  private final boolean compilation;
  private final boolean processCpu;

  /**
   * @param compilation bind {@code jvm.compilation.time} (Micrometer's {@code JvmCompilationMetrics} is bound)
   * @param processCpu bind {@code process.cpu.time} (Micrometer's {@code ProcessorMetrics} is bound)
   */
  public SecondsMeters(boolean compilation, boolean processCpu) {
    this.compilation = compilation;
    this.processCpu = processCpu;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (compilation && jit != null && jit.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder(COMPILATION_TIME, jit, b -> b.getTotalCompilationTime() / 1_000.0)
          .tag("compiler", jit.getName())
          .description("The approximate accumulated elapsed time spent in compilation")
          .baseUnit("seconds")
          .register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (processCpu && os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
      FunctionCounter.builder(PROCESS_CPU_TIME, sun, b -> b.getProcessCpuTime() / 1e9)
          .description("The \"cpu time\" used by the Java Virtual Machine process")
          .baseUnit("seconds")
          .register(registry);
    }
  }
}
