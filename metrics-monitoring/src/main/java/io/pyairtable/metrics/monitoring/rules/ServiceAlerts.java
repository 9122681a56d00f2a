package io.pyairtable.metrics.monitoring.rules;

import static io.pyairtable.metrics.catalog.MetricCatalog.*;
import static io.pyairtable.metrics.monitoring.promql.Promql.by;

import io.pyairtable.metrics.monitoring.promql.HttpStatus;
import io.pyairtable.metrics.monitoring.promql.Matcher;
import io.pyairtable.metrics.monitoring.promql.Promql;
import io.pyairtable.metrics.monitoring.promql.ScrapeJobs;
import java.util.List;

/**
 * The six alerts the README promises, done right: ratios and quantiles aggregated by service
 * first, error ratios 0 rather than empty for a service without errors, client aborts (499) left
 * out of error ratios and latency, the breaker alert firing for a breaker that never gets back to
 * {@code closed}, and every alert carrying {@code service}, a severity, a summary, a templated
 * description and a runbook. The {@code for} durations come from an {@link AlertTiming}.
 *
 * <pre>{@code
 * RuleGroup alerts = ServiceAlerts.group(AlertTiming.production());
 * Files.writeString(dir.resolve("alerts.yml"), YamlDocuments.write(RuleGroup.ruleFile(List.of(alerts))));
 * }</pre>
 */
public final class ServiceAlerts {

  /** The rule group name. */
  public static final String GROUP = "pyairtable.alerts";

  /** HighErrorRate fires above this share of 5xx responses. */
  public static final double ERROR_RATIO_THRESHOLD = 0.10;

  /** HighLatency fires above this p95, in seconds. */
  public static final double P95_LATENCY_THRESHOLD_SECONDS = 2.0;

  /** LowCacheHitRatio fires below this share of hits among lookups. */
  public static final double CACHE_HIT_RATIO_THRESHOLD = 0.70;

  private ServiceAlerts() {}

  /** The six alerts in one group, with production timings. */
  public static RuleGroup group() {
    return group(AlertTiming.production());
  }

  /** The six alerts in one group. */
  public static RuleGroup group(AlertTiming timing) {
    RuleGroup g = new RuleGroup(GROUP);
    all(timing).forEach(g::alert);
    return g;
  }

  /** The six alerts with production timings. */
  public static List<AlertRule> all() {
    return all(AlertTiming.production());
  }

  /** ServiceDown, HighErrorRate, HighLatency, AirtableRateLimitHit, CircuitBreakerOpen, LowCacheHitRatio. */
  public static List<AlertRule> all(AlertTiming t) {
    return List.of(serviceDown(t.forOf("ServiceDown")), highErrorRate(t.forOf("HighErrorRate")),
        highLatency(t.forOf("HighLatency")), airtableRateLimitHit(t.forOf("AirtableRateLimitHit")),
        circuitBreakerOpen(t.forOf("CircuitBreakerOpen")), lowCacheHitRatio(t.forOf("LowCacheHitRatio")));
  }

  static AlertRule serviceDown(String forDuration) {
    String up = ScrapeJobs.up(Matcher.regex("job", ScrapeJobs.allJobsRegex())).toString();
    return AlertRule.named("ServiceDown")
        .expr(ScrapeJobs.withServiceLabel(up) + " == 0")
        .forDuration(forDuration)
        .severity("critical")
        .summary("{{ $labels.service }} is down")
        .description("Prometheus has failed to scrape {{ $labels.job }} at {{ $labels.instance }} for more than "
            + forDuration + ".")
        .runbook("Check that the process or pod of {{ $labels.service }} is running and that its /metrics endpoint "
            + "answers (curl http://{{ $labels.instance }}/metrics); look at its logs for a crash or an "
            + "out-of-memory kill, and at Prometheus' Targets page for the scrape error.");
  }

  static AlertRule highErrorRate(String forDuration) {
    Promql q = Promql.over("5m").scopedBy(HttpStatus.answered());
    String ratio = q.ratioOrZero(by("service"),
        q.sumRate(by("service"), HTTP_REQUESTS_TOTAL, HttpStatus.serverError()),
        q.sumRate(by("service"), HTTP_REQUESTS_TOTAL));
    return AlertRule.named("HighErrorRate")
        .expr("(" + ratio + ") > " + Promql.number(ERROR_RATIO_THRESHOLD))
        .forDuration(forDuration)
        .severity("warning")
        .summary("High 5xx rate on {{ $labels.service }}")
        .description("{{ $value | humanizePercentage }} of the requests to {{ $labels.service }} were answered "
            + "with a 5xx over the last 5 minutes (threshold 10%; client aborts, 499, are left out).")
        .runbook("Open the Overview dashboard, 'Errors by type' for {{ $labels.service }}: the error_type label "
            + "names the exception. Check recent deploys and the health of its dependencies (Airtable, Gemini, "
            + "Redis, circuit breakers) on the Infrastructure dashboard.");
  }

  static AlertRule highLatency(String forDuration) {
    Promql q = Promql.over("5m").scopedBy(HttpStatus.answered());
    return AlertRule.named("HighLatency")
        .expr(q.quantile(0.95, by("service"), HTTP_REQUEST_DURATION_SECONDS) + " > "
            + Promql.number(P95_LATENCY_THRESHOLD_SECONDS))
        .forDuration(forDuration)
        .severity("warning")
        .summary("High p95 latency on {{ $labels.service }}")
        .description("The 95th percentile of request duration on {{ $labels.service }} is "
            + "{{ $value | humanizeDuration }} over the last 5 minutes (threshold 2s; client aborts, 499, are left "
            + "out).")
        .runbook("Compare 'Request latency' with upstream latency (Airtable API latency, Gemini latency, Redis "
            + "command latency) to find the slow dependency; check rate-limit queueing on the Airtable Gateway "
            + "dashboard and CPU or GC pressure on the host.");
  }

  static AlertRule airtableRateLimitHit(String forDuration) {
    Promql q = Promql.over("5m");
    return AlertRule.named("AirtableRateLimitHit")
        .expr(Promql.sum(by("service", "base_id", "limit_type"), q.increase(AIRTABLE_RATE_LIMIT_HITS_TOTAL)) + " > 0")
        .forDuration(forDuration)
        .severity("warning")
        .summary("Airtable rate limit hit on base {{ $labels.base_id }}")
        .description("{{ $labels.service }} hit the {{ $labels.limit_type }} rate limit of base "
            + "{{ $labels.base_id }} {{ $value | humanize }} times in the last 5 minutes.")
        .runbook("Airtable allows 5 requests/s per base and 50 requests/s per token, and answers 429 with a "
            + "30 s penalty when exceeded. Look at 'Airtable API calls' by operation for the traffic source; "
            + "raise the cache TTL, batch writes (10 records per request) or queue the caller. upstream_429 means "
            + "Airtable itself refused: check other clients using the same token.");
  }

  /**
   * Open or half-open, never closed, for the whole {@code for} window: a breaker flapping between
   * open and half_open (a dependency still failing its trial calls) keeps the condition true, where
   * {@code state="open" == 1} would reset at every half_open; a closed breaker is 0 on both states.
   */
  static AlertRule circuitBreakerOpen(String forDuration) {
    Promql q = Promql.over("5m");
    String notClosed = q.gauge("max", by("service", "circuit_name"), CIRCUIT_BREAKER_STATE,
        Matcher.regex(CIRCUIT_BREAKER_STATE.name(), "open|half_open"));
    return AlertRule.named("CircuitBreakerOpen")
        .expr(notClosed + " == 1")
        .forDuration(forDuration)
        .severity("critical")
        .summary("Circuit breaker {{ $labels.circuit_name }} is open on {{ $labels.service }}")
        .description("Circuit breaker {{ $labels.circuit_name }} of {{ $labels.service }} has been open or "
            + "half-open, without closing, for more than " + forDuration + ": calls through it are refused "
            + "without being attempted, and its trial calls keep failing.")
        .runbook("The dependency behind {{ $labels.circuit_name }} is failing: see 'Circuit breaker failures' and "
            + "'Calls rejected by open breakers' on the Infrastructure dashboard, then the dependency's own "
            + "health. The breaker half-opens by itself after its wait duration.");
  }

  static AlertRule lowCacheHitRatio(String forDuration) {
    Promql q = Promql.over("10m");
    String ratio = q.ratioOrZero(by("service"),
        q.sumRate(by("service"), CACHE_OPERATIONS_TOTAL, Matcher.equal("result", "hit")),
        q.sumRate(by("service"), CACHE_OPERATIONS_TOTAL, Matcher.regex("result", "hit|miss")));
    return AlertRule.named("LowCacheHitRatio")
        .expr("(" + ratio + ") < " + Promql.number(CACHE_HIT_RATIO_THRESHOLD))
        .forDuration(forDuration)
        .severity("warning")
        .summary("Low cache hit ratio on {{ $labels.service }}")
        .description("Only {{ $value | humanizePercentage }} of the cache lookups of {{ $labels.service }} hit "
            + "over the last 10 minutes (threshold 70%).")
        .runbook("Check evictions and the cache size, whether a deploy or a Redis flush emptied the cache, and "
            + "whether a new access pattern (many distinct bases or tables) bypasses it.");
  }
}
