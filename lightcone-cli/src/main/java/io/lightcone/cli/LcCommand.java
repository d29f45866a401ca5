package io.lightcone.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code lc}: the top-level command. It does nothing itself; without a subcommand picocli reports a
 * usage error (exit 2).
 */
@Command(
    name = "lc",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    scope = ScopeType.INHERIT,
    usageHelpAutoWidth = true,
    headerHeading = "",
    header = "Lightcone: runs ASTRA analyses reproducibly.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Every command works on a project directory: astra.yaml, its path: sub-analyses and"
          + " universes/*.yaml."
    },
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    subcommands = {
      InitCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      BuildCommand.class,
      StatusCommand.class,
      VerifyCommand.class,
      ExplainCommand.class,
      ResultsCommand.class,
      ReportCommand.class,
      CacheCommand.class,
      ClusterCommand.class,
      KeysCommand.class,
      ExportCommand.class,
      CompletionCommand.class,
      TaskCommand.class
    })
final class LcCommand {
  /** The name {@link Failures} looks for to decide on stack traces. */
  static final String VERBOSE = "--verbose";

  @Option(
      names = {"-v", VERBOSE},
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors (for bug reports).")
  boolean verbose;

  @Option(
      names = {"-q", Habits.QUIET},
      scope = ScopeType.INHERIT,
      description = "Print only errors and the final line (the summary); nothing else.")
  boolean quiet;

  @Option(
      names = Habits.NO_COLOR,
      scope = ScopeType.INHERIT,
      description =
          "No colour, even on a terminal (also when NO_COLOR is set); never any in a pipe.")
  boolean noColor;
}
