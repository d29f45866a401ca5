package io.lightcone.cli;

import io.lightcone.ExecutionReport;
import io.lightcone.core.LocalSubstrate;
import io.lightcone.core.Project;
import java.nio.file.Path;

/** A copy of the period-luminosity sample that has been run once, through the library. */
final class RanSample {
  private RanSample() {}

  static Path at(Path dir) {
    Path project = TestProjects.copyOfSample("period-luminosity", dir);
    ExecutionReport report = Project.load(project).plan().execute(LocalSubstrate.create());
    report.throwIfFailed();
    return project;
  }
}
