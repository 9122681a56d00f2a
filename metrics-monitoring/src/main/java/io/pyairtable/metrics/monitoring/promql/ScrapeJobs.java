package io.pyairtable.metrics.monitoring.promql;

import io.pyairtable.metrics.catalog.ServiceCatalog;

/**
 * The scrape jobs of the PyAirtable services as Prometheus sees them, derived from
 * {@link ServiceCatalog}: job {@code pyairtable-<service>} and Prometheus' synthetic {@code up}
 * series, which carries {@code job} and {@code instance} but no {@code service} label.
 *
 * <pre>{@code
 * String down = ScrapeJobs.up(Matcher.regex("job", ScrapeJobs.allJobsRegex())) + " == 0";
 * }</pre>
 */
public final class ScrapeJobs {

  /** Prometheus' per-target health series: 1 when the last scrape succeeded. */
  public static final String UP = "up";

  private ScrapeJobs() {}

  /** The prefix every service job name shares ({@code pyairtable-}). */
  public static String jobPrefix() {
    ServiceCatalog any = ServiceCatalog.API_GATEWAY;
    String job = any.jobName();
    if (!job.endsWith(any.serviceName())) {
      throw new IllegalStateException("job name " + job + " does not end with the service name");
    }
    return job.substring(0, job.length() - any.serviceName().length());
  }

  /** A regex matching every service job: {@code pyairtable-.+}. */
  public static String allJobsRegex() {
    return jobPrefix().replace(".", "\\.") + ".+";
  }

  /** A regex matching the jobs of the services a Grafana {@code $service} variable selects. */
  public static String jobsOfServiceVariable() {
    return jobPrefix().replace(".", "\\.") + "(?:$service)";
  }

  /** {@code up{matchers}}. */
  public static Selector up(Matcher... matchers) {
    return Selector.series(UP).and(matchers);
  }

  /**
   * {@code label_replace(expr, "service", "$1", "job", "pyairtable-(.+)")}: gives the {@code up}
   * series the {@code service} label the application series carry, so alerts on both can be
   * routed and inhibited by service.
   */
  public static String withServiceLabel(String upExpr) {
    return "label_replace(" + upExpr + ", \"service\", \"$1\", \"job\", \"" + jobPrefix().replace(".", "\\\\.")
        + "(.+)\")";
  }
}
