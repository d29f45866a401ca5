package io.lightcone.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Builds the {@code lc} command line with its failure handling and exit-code list; {@link Main}
 * runs it, tests drive it with their own writers and factories.
 */
final class Cli {
  private Cli() {}

  /** The {@code lc} command line, ready to {@code execute}. */
  static CommandLine create() {
    return create(CommandLine.defaultFactory());
  }

  /**
   * As {@link #create()}, with {@code factory} building the command objects (tests inject fakes).
   */
  static CommandLine create(IFactory factory) {
    CommandLine commandLine = new CommandLine(new LcCommand(), factory);
    Failures failures = new Failures();
    commandLine
        .setExecutionExceptionHandler(failures)
        .setExitCodeExceptionMapper(failures)
        .setParameterExceptionHandler(failures);
    listExitCodes(commandLine);
    return commandLine;
  }

  /** Runs {@code lc args} on the process's standard streams and returns the exit code. */
  static int run(String... args) {
    CommandLine commandLine = create();
    try {
      return commandLine.execute(args);
    } finally {
      flush(commandLine.getOut());
      flush(commandLine.getErr());
    }
  }

  private static void listExitCodes(CommandLine commandLine) {
    commandLine
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.helpList());
    commandLine.getSubcommands().values().forEach(Cli::listExitCodes);
  }

  private static void flush(PrintWriter writer) {
    writer.flush();
  }
}
