package io.lightcone.cli;

import io.lightcone.ExecutionReport;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A copy of the period-luminosity sample that has been run once, through the library. */
final class RanSample {
  private RanSample() {}

  static Path at(Path dir) {
    Path project = TestProjects.copyOfSample("period-luminosity", dir);
    ExecutionReport report = Project.load(project).plan().execute(LocalSubstrate.create());
    report.throwIfFailed();
    return project;
  }

  /**
   * A byte-for-byte copy of a project with its results, manifests and {@code .lightcone/}, file
   * times kept (external inputs are versioned by mtime and size).
   */
  static Path copy(Path project, Path target) {
    try (Stream<Path> files = Files.walk(project)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(project.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
