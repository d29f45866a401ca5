package io.lightcone.dask;

import io.lightcone.TaskId;
import io.lightcone.event.ExecutionListener;
import java.nio.file.Path;

/**
 * A JVM that runs one long task on its own Dask cluster and says {@code running} once the task's
 * process is up; {@link DaskClusterTest} then kills it with SIGKILL.
 */
final class KilledRun {
  private KilledRun() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String marker = args[1];
    ExecutionListener recorder =
        new ExecutionListener() {
          @Override
          public void taskStarted(TaskId task, int attempt) {
            System.out.println("running");
            System.out.flush();
          }
        };
    FakePlans.in(dir)
        .task("u/long", "sleep " + marker)
        .plan()
        .start(DaskSubstrate.create(TestEnvironments.local()), recorder)
        .await();
  }
}
