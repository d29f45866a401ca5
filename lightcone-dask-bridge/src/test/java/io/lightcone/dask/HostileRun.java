package io.lightcone.dask;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskResult;
import io.lightcone.event.ExecutionListener;
import java.nio.file.Path;

/**
 * A JVM that runs one task on its own Dask cluster and prints each task's outcome; {@link
 * DaskSecurityTest} starts it with hostile Python modules in its temporary directory ({@code
 * -Djava.io.tmpdir}, {@code TMPDIR}), its current directory and the project.
 */
final class HostileRun {
  private HostileRun() {}

  public static void main(String[] args) {
    Path project = Path.of(args[0]);
    ExecutionReport report =
        FakePlans.in(project)
            .task("u/a", "echo ran > a.txt")
            .plan()
            .start(DaskSubstrate.create(TestEnvironments.local()), new ExecutionListener() {})
            .await();
    for (TaskResult r : report.results()) {
      System.out.println(r.task() + " " + r.outcome() + " " + r.detail());
    }
  }
}
