package io.lightcone.cli;

import io.lightcone.Problem;
import io.lightcone.ValidationReport;
import io.lightcone.core.Project;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lc validate [DIR | -C DIR] [--json]}: prints every problem of a project, errors and
 * warnings.
 */
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
      description =
          "The project directory, holding astra.yaml (default: the current directory);"
              + " the same as -C/--project DIR.")
  String directory;

  @Mixin ProjectOption project;

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
    String asGiven = directoryAsGiven();
    ValidationReport report =
        validator.apply(ProjectOption.checked(spec.commandLine(), "DIR", asGiven));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(Reports.json(report));
    } else {
      for (Problem problem : report.problems()) {
        out.println(Reports.line(asGiven, problem));
      }
      out.println(Reports.summary(report));
    }
    out.flush();
    return report.isValid() ? ExitCode.OK.code : ExitCode.INVALID.code;
  }

  /** DIR or {@code --project DIR}; both only when they agree. */
  private String directoryAsGiven() {
    if (directory == null) {
      return project.asGiven();
    }
    if (project.given() && !project.asGiven().equals(directory)) {
      throw new ParameterException(
          spec.commandLine(),
          "the project is given twice, as DIR '"
              + directory
              + "' and as --project '"
              + project.asGiven()
              + "'; give it once");
    }
    return directory;
  }
}
