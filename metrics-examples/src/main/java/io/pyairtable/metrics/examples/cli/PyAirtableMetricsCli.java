package io.pyairtable.metrics.examples.cli;

import io.pyairtable.metrics.monitoring.cli.ExportConfigsCommand;
import io.pyairtable.metrics.monitoring.cli.ExportDashboardsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pyairtable-metrics} command line: {@code demo} runs the four services with traffic,
 * {@code export-configs DIR} and {@code export-dashboards DIR} write the monitoring configuration
 * generated from the metric catalogue. {@code bin/pyairtable-metrics} builds the project if needed
 * and runs this class.
 *
 * <pre>{@code
 * bin/pyairtable-metrics demo --duration 60s
 * bin/pyairtable-metrics export-configs ./monitoring
 * int exit = PyAirtableMetricsCli.run("export-dashboards", "dashboards");
 * }</pre>
 */
@Command(name = "pyairtable-metrics", mixinStandardHelpOptions = true, version = "pyairtable-metrics 0.1.0-SNAPSHOT",
    description = "PyAirtable Metrics: run the demo services, export monitoring configuration.",
    subcommands = {DemoCommand.class, ExportConfigsCommand.class, ExportDashboardsCommand.class,
        CommandLine.HelpCommand.class})
public final class PyAirtableMetricsCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new PyAirtableMetricsCli()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
