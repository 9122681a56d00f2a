package io.pyairtable.metrics.monitoring.rules;

import java.util.List;

/**
 * Names of the series the SLO recording rules write, shared by the rules, the burn-rate alerts
 * and the SLA dashboard. Every recorded series carries {@code service} and {@code slo}
 * ({@code availability} or {@code latency}).
 *
 * <pre>{@code
 * String burn1h = SloSeries.errorRatio("1h"); // slo:sli_error:ratio_rate1h
 * }</pre>
 */
public final class SloSeries {

  /** The SLI windows recorded for every SLO, shortest first. */
  public static final List<String> SLI_WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");

  /** The objective as a ratio, for example 0.999. */
  public static final String OBJECTIVE = "slo:objective:ratio";

  /** Share of the error budget of the SLO window not yet spent: 1 untouched, 0 spent, below 0 overspent. */
  public static final String ERROR_BUDGET_REMAINING = "slo:error_budget_remaining:ratio";

  /**
   * The share of bad events over the whole SLO period (30 days by default); carries a
   * {@code window} label naming the period.
   */
  public static final String PERIOD_ERROR_RATIO = "slo:sli_error:ratio_period";

  /** The label naming the SLO. */
  public static final String SLO_LABEL = "slo";

  private SloSeries() {}

  /** The share of bad events over {@code window}: {@code slo:sli_error:ratio_rate<window>}. */
  public static String errorRatio(String window) {
    return "slo:sli_error:ratio_rate" + window;
  }
}
