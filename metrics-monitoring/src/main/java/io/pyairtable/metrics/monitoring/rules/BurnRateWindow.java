package io.pyairtable.metrics.monitoring.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * One multi-window burn-rate condition from the Google SRE workbook: alert when the error ratio
 * over both a long and a short window exceeds {@code factor × (1 − objective)}, where the factor
 * spends {@code budgetFraction} of the period's budget within the long window. Over 30 days this
 * gives the workbook's 14.4 (2% in 1h), 6 (5% in 6h), 3 (10% in 1d) and 1 (10% in 3d).
 *
 * <pre>{@code
 * BigDecimal f = BurnRateWindow.DEFAULTS.get(0).factor(720); // 14.4
 * }</pre>
 *
 * @param severity {@code critical} (page) or {@code warning} (ticket)
 * @param longWindow the long window, one of {@link SloSeries#SLI_WINDOWS}
 * @param shortWindow the short window, one of {@link SloSeries#SLI_WINDOWS}
 * @param longWindowHours the long window in hours
 * @param budgetFraction the share of the period's budget spent in the long window at the threshold
 */
public record BurnRateWindow(
    String severity, String longWindow, String shortWindow, double longWindowHours, BigDecimal budgetFraction) {

  /** Page: 5m and 1h above 14.4, or 30m and 6h above 6. Ticket: 2h and 1d above 3, or 6h and 3d above 1. */
  public static final List<BurnRateWindow> DEFAULTS = List.of(
      new BurnRateWindow("critical", "1h", "5m", 1, new BigDecimal("0.02")),
      new BurnRateWindow("critical", "6h", "30m", 6, new BigDecimal("0.05")),
      new BurnRateWindow("warning", "1d", "2h", 24, new BigDecimal("0.10")),
      new BurnRateWindow("warning", "3d", "6h", 72, new BigDecimal("0.10")));

  public BurnRateWindow {
    if (!SloSeries.SLI_WINDOWS.contains(longWindow) || !SloSeries.SLI_WINDOWS.contains(shortWindow)) {
      throw new IllegalArgumentException("windows must be recorded SLI windows " + SloSeries.SLI_WINDOWS);
    }
  }

  /** The burn-rate factor for an SLO period of {@code periodHours}. */
  public BigDecimal factor(long periodHours) {
    return budgetFraction.multiply(BigDecimal.valueOf(periodHours))
        .divide(BigDecimal.valueOf(longWindowHours), MathContext.DECIMAL64)
        .stripTrailingZeros();
  }
}
