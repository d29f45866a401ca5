package io.lightcone.cli;

import io.lightcone.Problem;
import io.lightcone.ValidationReport;
import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lc validate [DIR] [--json]}: prints every problem of a project, errors and warnings. */
@Command(
    name = "validate",
    header = "Check a project: astra.yaml, its sub-analyses and universes/*.yaml.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Prints every problem as DIR/file:line:col: severity: message, then a summary line."
          + " Warnings do not make a project invalid."
    },
    parameterListHeading = "%nArguments:%n",
    optionListHeading = "%nOptions:%n")
final class ValidateCommand implements Callable<Integer> {
  private final Function<Path, ValidationReport> validator;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The project directory, holding astra.yaml (default: the current directory).")
  String directory;

  @Option(
      names = "--json",
      description =
          "Print {\"valid\", \"errors\", \"warnings\", \"problems\": [...]} as JSON instead.")
  boolean json;

  ValidateCommand() {
    this(Project::validate);
  }

  /** For tests: {@code validator} stands in for {@link Project#validate}. */
  ValidateCommand(Function<Path, ValidationReport> validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  @Override
  public Integer call() {
    ValidationReport report = validator.apply(projectDirectory());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(Reports.json(report));
    } else {
      for (Problem problem : report.problems()) {
        out.println(Reports.line(directory, problem));
      }
      out.println(Reports.summary(report));
    }
    out.flush();
    return report.isValid() ? ExitCode.OK.code : ExitCode.INVALID.code;
  }

  /** A directory that is not there is a mistake on the command line, not in the project. */
  private Path projectDirectory() {
    Path path;
    try {
      path = Path.of(directory);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          spec.commandLine(), "DIR '" + directory + "' is not a valid path: " + e.getReason());
    }
    if (!Files.exists(path)) {
      throw new ParameterException(
          spec.commandLine(),
          "DIR '" + directory + "' does not exist; give the directory that holds astra.yaml");
    }
    if (!Files.isDirectory(path)) {
      throw new ParameterException(
          spec.commandLine(),
          "DIR '"
              + directory
              + "' is a file, not a directory; give the directory that holds astra.yaml");
    }
    return path;
  }
}
