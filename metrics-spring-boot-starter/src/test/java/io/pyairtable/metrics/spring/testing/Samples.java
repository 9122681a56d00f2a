package io.pyairtable.metrics.spring.testing;

/** Reads one sample's value out of a Prometheus text exposition (0 when the series is absent). */
public final class Samples {

  private Samples() {}

  /** The value of the sample whose name-and-labels part is exactly {@code series}. */
  public static double value(String exposition, String series) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(series + " ")) {
        String rest = line.substring(series.length() + 1).trim();
        int space = rest.indexOf(' ');
        return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
      }
    }
    return 0;
  }
}
