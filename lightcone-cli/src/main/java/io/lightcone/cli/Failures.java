package io.lightcone.cli;

import io.lightcone.LightconeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one message on stderr and an exit code. The one place that maps {@link
 * LightconeException.Kind} to exit codes, and that decides whether a stack trace is shown (only
 * with {@code -v}).
 */
final class Failures
    implements IExecutionExceptionHandler, IExitCodeExceptionMapper, IParameterExceptionHandler {

  @Override
  public int getExitCode(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ParameterException) {
      return ExitCode.USAGE.code;
    }
    if (cause instanceof LightconeException e) {
      return ExitCode.of(e).code;
    }
    if (cause instanceof InterruptedException) {
      return ExitCode.INTERRUPTED.code;
    }
    return ExitCode.INTERNAL.code;
  }

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine commandLine, ParseResult parseResult) {
    Throwable failure = unwrap(exception);
    if (failure instanceof InterruptedException) {
      // Whoever runs lc in-process (a test, a notebook) must still see the interrupt.
      Thread.currentThread().interrupt();
    }
    boolean verbose = verbose(parseResult);
    int code = getExitCode(failure);
    PrintWriter err = commandLine.getErr();
    if (code == ExitCode.INTERNAL.code) {
      err.println(
          "lc: internal error: "
              + describe(failure)
              + (verbose ? "" : " (run with -v for the stack trace)"));
    } else if (code == ExitCode.INTERRUPTED.code) {
      err.println("lc: interrupted");
    } else {
      err.println("lc: " + describe(failure));
    }
    if (verbose) {
      failure.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    CommandLine commandLine = exception.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("lc: " + exception.getMessage());
    UnmatchedArgumentException.printSuggestions(exception, err);
    err.println(
        "Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.USAGE.code;
  }

  /** {@code -v} may follow {@code lc} or any subcommand, so look at every level. */
  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(LcCommand.VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable at = failure;
    while (at instanceof ExecutionException && at.getCause() != null) {
      at = at.getCause();
    }
    return at;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? failure.getClass().getSimpleName()
        : message.strip();
  }
}
