package io.pyairtable.metrics.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.spring.testing.Samples;
import io.pyairtable.metrics.spring.timed.TimedOperation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link TimedOperation} on bean methods, through Spring Boot's AOP auto-configuration. */
@Timeout(60)
class TimedOperationTest {

  /** Thrown by the sync job; must reach the caller unchanged. */
  static final class SyncFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncFailed() {
      super("sync failed");
    }
  }

  public static class SyncJobs {
    final CompletableFuture<String> pending = new CompletableFuture<>();
    final SyncFailed failure = new SyncFailed();

    @TimedOperation("data_sync")
    public String sync(boolean fail) {
      if (fail) {
        throw failure;
      }
      return "synced";
    }

    @TimedOperation("data_export")
    public CompletionStage<String> export() {
      return pending;
    }

    public CompletableFuture<String> pending() {
      return pending;
    }

    public SyncFailed failure() {
      return failure;
    }

    public String untimed() {
      return "plain";
    }
  }

  @TimedOperation("report")
  public static class Reports {
    public int build() {
      return 1;
    }
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, PyAirtableMetricsAutoConfiguration.class))
      .withPropertyValues("spring.application.name=jobs")
      .withBean(SyncJobs.class).withBean(Reports.class);

  private static String ops(String type, String status) {
    return "business_operations_total{operation_type=\"" + type + "\",service=\"jobs\",status=\"" + status + "\"}";
  }

  @Test
  void aMethodIsTimedAsSuccessAndAThrownExceptionIsRethrownUnchanged() {
    runner.run(context -> {
      SyncJobs jobs = context.getBean(SyncJobs.class);
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      assertThat(jobs.sync(false)).isEqualTo("synced");
      assertThat(jobs.sync(false)).isEqualTo("synced");
      assertThatThrownBy(() -> jobs.sync(true)).isSameAs(jobs.failure());
      assertThat(jobs.untimed()).isEqualTo("plain");

      String text = collector.exportMetrics();
      assertThat(Samples.value(text, ops("data_sync", "success"))).isEqualTo(2.0);
      assertThat(Samples.value(text, ops("data_sync", "failure"))).isEqualTo(1.0);
      assertThat(Samples.value(text,
          "business_operation_duration_seconds_count{operation_type=\"data_sync\",service=\"jobs\"}")).isEqualTo(3.0);
      assertThat(text).doesNotContain("operation_type=\"untimed\"");
    });
  }

  @Test
  void aCompletionStageIsTimedWhenItCompletesAndReturnedAsItIs() {
    runner.run(context -> {
      SyncJobs jobs = context.getBean(SyncJobs.class);
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      CompletionStage<String> stage = jobs.export();
      assertThat(stage).isSameAs(jobs.pending());
      assertThat(Samples.value(collector.exportMetrics(), ops("data_export", "success"))).isZero();

      jobs.pending().complete("done");

      assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("done");
      assertThat(Samples.value(collector.exportMetrics(), ops("data_export", "success"))).isEqualTo(1.0);
    });
  }

  @Test
  void aFailedStageCountsAsFailure() {
    runner.run(context -> {
      SyncJobs jobs = context.getBean(SyncJobs.class);
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      CompletionStage<String> stage = jobs.export();
      jobs.pending().completeExceptionally(new SyncFailed());

      assertThat(stage.toCompletableFuture().isCompletedExceptionally()).isTrue();
      assertThat(Samples.value(collector.exportMetrics(), ops("data_export", "failure"))).isEqualTo(1.0);
    });
  }

  @Test
  void anAnnotatedClassTimesItsPublicMethods() {
    runner.run(context -> {
      Reports reports = context.getBean(Reports.class);
      MetricsCollector collector = context.getBean(MetricsCollector.class);

      reports.build();
      reports.toString();

      assertThat(Samples.value(collector.exportMetrics(), ops("report", "success"))).isEqualTo(1.0);
    });
  }
}
