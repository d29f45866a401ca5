package io.lightcone.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -C/--project DIR}, shared by every command that works on a project. A directory that is
 * not there is a mistake on the command line (exit 2), not in the project.
 *
 * <pre>{@code @Mixin ProjectOption project; ... Project.load(project.directory());}</pre>
 */
final class ProjectOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = {"-C", "--project"},
      paramLabel = "DIR",
      description = "The project directory, holding astra.yaml (default: the current directory).")
  String directory;

  /** The directory as given, {@code .} when not given. */
  String asGiven() {
    return directory == null ? "." : directory;
  }

  /** Whether {@code -C/--project} was given. */
  boolean given() {
    return directory != null;
  }

  /** The project directory, checked to exist and be a directory. */
  Path directory() {
    return checked(mixee.commandLine(), "DIR", asGiven());
  }

  /** {@code text} as an existing directory, else a usage error naming {@code label}. */
  static Path checked(CommandLine commandLine, String label, String text) {
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          commandLine, label + " '" + text + "' is not a valid path: " + e.getReason());
    }
    if (!Files.exists(path)) {
      throw new ParameterException(
          commandLine,
          label + " '" + text + "' does not exist; give the directory that holds astra.yaml");
    }
    if (!Files.isDirectory(path)) {
      throw new ParameterException(
          commandLine,
          label
              + " '"
              + text
              + "' is a file, not a directory; give the directory that holds astra.yaml");
    }
    return path;
  }
}
