package io.lightcone.cli;

import io.lightcone.ValidationReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Runs {@code lc} in-process, the way {@link Main} does, capturing both streams. */
final class Lc {
  private Lc() {}

  /** What one {@code lc} invocation gave. */
  record Result(int exitCode, String out, String err) {
    java.util.List<String> outLines() {
      return out.lines().toList();
    }
  }

  /** Not a terminal, no Ctrl-C, the real clock: what a test run of {@code lc} sees. */
  static final CliEnvironment PLAIN =
      new CliEnvironment(false, 100, Interrupts.NONE, System::nanoTime);

  /** {@code lc args} with the real library behind it. */
  static Result run(String... args) {
    return runIn(PLAIN, args);
  }

  /** {@code lc args} in {@code environment} (a terminal or not, a fake Ctrl-C, a fake clock). */
  static Result runIn(CliEnvironment environment, String... args) {
    return run(Cli.create(environment, CommandLine.defaultFactory()), args);
  }

  /** {@code lc args} with {@code validator} standing in for {@code Project.validate}. */
  static Result runWith(Function<Path, ValidationReport> validator, String... args) {
    IFactory factory =
        new IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == ValidateCommand.class) {
              return type.cast(new ValidateCommand(validator));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    return run(Cli.create(PLAIN, factory), args);
  }

  private static Result run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }
}
