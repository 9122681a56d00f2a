package io.pyairtable.metrics.benchmarks.scrape;

/**
 * The scrape formats measured: what Prometheus asks for in {@code Accept} and
 * {@code Accept-Encoding}.
 *
 * <pre>{@code
 * MemoryExchange exchange = new MemoryExchange(ScrapeFormat.valueOf("OPENMETRICS"));
 * }</pre>
 */
public enum ScrapeFormat {
  /** Prometheus text 0.0.4, uncompressed. */
  TEXT("text/plain; version=0.0.4; charset=utf-8", false),
  /** OpenMetrics 1.0.0 text, uncompressed. */
  OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8", false),
  /** Prometheus text 0.0.4, gzip'd (Prometheus sends {@code Accept-Encoding: gzip}). */
  GZIP_TEXT("text/plain; version=0.0.4; charset=utf-8", true);

  private final String accept;
  private final boolean gzip;

  ScrapeFormat(String accept, boolean gzip) {
    this.accept = accept;
    this.gzip = gzip;
  }

  /** The {@code Accept} header sent. */
  public String accept() {
    return accept;
  }

  /** Whether {@code Accept-Encoding: gzip} is sent. */
  public boolean gzip() {
    return gzip;
  }
}
