package io.pyairtable.metrics.benchmarks.scrape;

import io.pyairtable.metrics.benchmarks.timing.SuiteTiming;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One scrape of 10,000 time series ({@link ScrapeFixture}) through the project's metrics endpoint
 * ({@code ours}) against client_java's own {@code PrometheusScrapeHandler} on an identical registry
 * ({@code clientJava}), in Prometheus text, OpenMetrics and gzip'd text; and the same while two
 * threads record into the scraped registry ({@code *UnderLoad}, JMH groups: the {@code scrape}
 * method's score is the scrape). At the end of a fork that scraped through the endpoint, prints what
 * {@code metrics_scrape_duration_seconds} recorded during the measurement iterations, to compare
 * with JMH's mean.
 *
 * <pre>
 * java -jar metrics-benchmarks/target/benchmarks.jar 'ScrapeBenchmark.ours$' -p format=GZIP_TEXT
 * metrics-benchmarks/bin/scrape-at-scale 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScrapeBenchmark extends SuiteTiming {

  /** Marks the line printed at the end of a fork, read by {@code bin/scrape-at-scale}. */
  public static final String SCRAPE_DURATION_LINE = "metrics_scrape_duration_seconds during measurement:";

  @Param({"TEXT", "OPENMETRICS", "GZIP_TEXT"})
  public ScrapeFormat format;

  private ScrapeFixture fixture;
  private MemoryExchange exchange;
  private double[] iterationStart;
  private long measuredCount;
  private double measuredSum;

  @Setup
  public void setUp() {
    fixture = new ScrapeFixture(3);
    exchange = new MemoryExchange(format);
  }

  @Setup(Level.Iteration)
  public void markIteration(IterationParams params) {
    iterationStart = params.getType() == IterationType.MEASUREMENT ? fixture.scrapeDurationCountAndSum() : null;
  }

  @TearDown(Level.Iteration)
  public void addIteration() {
    if (iterationStart != null) {
      double[] end = fixture.scrapeDurationCountAndSum();
      measuredCount += (long) (end[0] - iterationStart[0]);
      measuredSum += end[1] - iterationStart[1];
    }
  }

  @TearDown
  public void report() {
    if (measuredCount > 0) {
      System.out.printf("%s count=%d sum=%.6f s mean=%.6f ms%n", SCRAPE_DURATION_LINE, measuredCount,
          measuredSum, measuredSum * 1000 / measuredCount);
    }
  }

  @Benchmark
  public int ours() throws IOException {
    fixture.scrapeOurs(exchange.reset());
    return exchange.bodySize();
  }

  @Benchmark
  public int clientJava() throws IOException {
    fixture.scrapeClientJava(exchange.reset());
    return exchange.bodySize();
  }

  @Benchmark
  @Group("oursUnderLoad")
  @GroupThreads(1)
  public int oursScrape() throws IOException {
    return ours();
  }

  @Benchmark
  @Group("oursUnderLoad")
  @GroupThreads(2)
  public void oursRecord() {
    fixture.recordOurs(ThreadLocalRandom.current().nextInt());
  }

  @Benchmark
  @Group("clientJavaUnderLoad")
  @GroupThreads(1)
  public int clientJavaScrape() throws IOException {
    return clientJava();
  }

  @Benchmark
  @Group("clientJavaUnderLoad")
  @GroupThreads(2)
  public void clientJavaRecord() {
    fixture.recordClientJava(ThreadLocalRandom.current().nextInt());
  }
}
