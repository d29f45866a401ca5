package io.lightcone.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.Help;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;

/**
 * Builds the {@code lc} command line with its failure handling and exit-code list; {@link Main}
 * runs it, tests drive it with their own writers and factories.
 */
final class Cli {
  private Cli() {}

  /** The {@code lc} command line, ready to {@code execute}, in this process's environment. */
  static CommandLine create() {
    return create(CliEnvironment.system(), CommandLine.defaultFactory());
  }

  /**
   * As {@link #create()}, with {@code factory} building the command objects (tests inject fakes).
   */
  static CommandLine create(IFactory factory) {
    return create(CliEnvironment.system(), factory);
  }

  /**
   * The command line in {@code environment} (terminal or not, Ctrl-C, clock), with {@code factory}
   * building the commands that need nothing from it.
   */
  static CommandLine create(CliEnvironment environment, IFactory factory) {
    IFactory withEnvironment =
        new IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == RunCommand.class) {
              return type.cast(new RunCommand(environment));
            }
            if (type == TaskRunCommand.class) {
              return type.cast(new TaskRunCommand(environment));
            }
            return factory.create(type);
          }
        };
    CommandLine commandLine = new CommandLine(new LcCommand(), withEnvironment);
    Failures failures = new Failures();
    commandLine
        .setExecutionStrategy(Cli::executeCatchingErrors)
        .setExecutionExceptionHandler(failures)
        .setExitCodeExceptionMapper(failures)
        .setParameterExceptionHandler(failures);
    listExitCodes(commandLine);
    if (!environment.colour()) {
      // picocli's help would colour itself on a terminal (Ansi.AUTO); not with NO_COLOR set.
      commandLine.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    }
    return commandLine;
  }

  /** Runs {@code lc args} on the process's standard streams and returns the exit code. */
  static int run(String... args) {
    CommandLine commandLine = create();
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  /**
   * Picocli hands only {@link Exception}s to the exception handler; an {@link Error} (a broken
   * jar's NoClassDefFoundError, a StackOverflowError) would escape as a bare stack trace. Wrapping
   * it routes it through {@link Failures} like any other internal error.
   */
  private static int executeCatchingErrors(ParseResult parseResult) {
    if (Habits.matched(parseResult, Habits.NO_COLOR)) {
      parseResult
          .commandSpec()
          .commandLine()
          .setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    }
    try {
      return Habits.quietly(parseResult, () -> new RunLast().execute(parseResult));
    } catch (Error e) {
      List<CommandLine> commands = parseResult.asCommandLineList();
      throw new ExecutionException(commands.get(commands.size() - 1), String.valueOf(e), e);
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
}
