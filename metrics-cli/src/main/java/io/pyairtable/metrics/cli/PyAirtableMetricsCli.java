package io.pyairtable.metrics.cli;

import io.pyairtable.metrics.http.jetty.ServerLimits;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pyairtable-metrics} command line: {@code demo} runs the four services with traffic,
 * {@code serve SERVICE} runs one of them from the environment (as the Kubernetes Deployments do),
 * {@code export-configs DIR} and {@code export-dashboards DIR} write the monitoring configuration
 * generated from the metric catalogue (the workloads' termination grace period following the
 * services' shutdown grace, {@code ServerLimits.defaults().shutdownGrace()}). {@code bin/pyairtable-metrics} builds the project if needed
 * and runs this class.
 *
 * <pre>{@code
 * bin/pyairtable-metrics demo --duration 60s
 * AIRTABLE_API_KEY=pat... bin/pyairtable-metrics serve airtable-gateway
 * bin/pyairtable-metrics export-configs --image-pattern registry.example.com/pyairtable-metrics:1.0 ./monitoring
 * int exit = PyAirtableMetricsCli.run("export-dashboards", "dashboards");
 * }</pre>
 */
@Command(name = "pyairtable-metrics", mixinStandardHelpOptions = true, version = "pyairtable-metrics 0.1.0-SNAPSHOT",
    description = "PyAirtable Metrics: run the demo services, export monitoring configuration.",
    subcommands = {DemoCommand.class, ServeCommand.class, ExportDashboardsCommand.class, CommandLine.HelpCommand.class})
public final class PyAirtableMetricsCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with every subcommand. */
  public static CommandLine commandLine() {
    return new CommandLine(new PyAirtableMetricsCli())
        .addSubcommand(new ExportConfigsCommand(ServerLimits.defaults().shutdownGrace()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
