package io.pyairtable.metrics.examples.demo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the demo started for monitoring: the local Prometheus (and the exported tree next to its
 * configuration, dashboards included), the local Alertmanager, and the console receiver printing
 * its notifications. Every part is optional.
 *
 * <pre>{@code
 * demo.monitoring().alertmanagerUrl().ifPresent(u -> System.out.println(u + "/#/alerts"));
 * }</pre>
 *
 * @param prometheusUrl or null
 * @param dashboards the exported dashboards, or null
 * @param alertmanagerUrl or null
 * @param console the console receiver, or null (none, or notifications go to a webhook)
 */
public record DemoMonitoring(String prometheusUrl, Path dashboards, String alertmanagerUrl, AlertConsole console) {

  /** Nothing started. */
  public static final DemoMonitoring NONE = new DemoMonitoring(null, null, null, null);

  public Optional<String> prometheus() {
    return Optional.ofNullable(prometheusUrl);
  }

  public Optional<Path> dashboardDirectory() {
    return Optional.ofNullable(dashboards);
  }

  public Optional<String> alertmanager() {
    return Optional.ofNullable(alertmanagerUrl);
  }

  public Optional<AlertConsole> alertConsole() {
    return Optional.ofNullable(console);
  }
}
