package io.pyairtable.metrics.cli;

import io.pyairtable.metrics.monitoring.MonitoringExport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code export-dashboards DIR}: writes the seven Grafana dashboards (file-provisioning JSON) into DIR.
 *
 * <pre>{@code
 * int exit = new CommandLine(new ExportDashboardsCommand()).execute("dashboards");
 * }</pre>
 */
@Command(name = "export-dashboards", mixinStandardHelpOptions = true,
    description = "Write the seven Grafana dashboards as <uid>.json into DIR.")
public final class ExportDashboardsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Output directory (created if missing).")
  Path dir;

  @Override
  public Integer call() {
    List<Path> written = MonitoringExport.exportAllDashboards(dir);
    System.out.println("wrote " + written.size() + " dashboards to " + dir.toAbsolutePath());
    return 0;
  }
}
