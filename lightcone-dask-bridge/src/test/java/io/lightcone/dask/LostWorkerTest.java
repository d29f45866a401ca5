package io.lightcone.dask;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.TaskResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers come and go: one that dies under a running task, or the scheduler dying, fails the task
 * and kills its processes, nothing hangs; a task submitted before any worker joined waits for one.
 */
class LostWorkerTest {
  @TempDir Path daskDir;
  @TempDir Path project;

  @Test
  void dask_workerKilledUnderATask_failsTheTaskAndKillsItsProcesses() throws Exception {
    String marker =
        String.format(Locale.ROOT, "302.%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
    try (ExternalDask dask =
            ExternalDask.start(daskDir).worker("solo", 1, "cpus=1").awaitWorkers(1);
        DaskCluster cluster =
            DaskCluster.forRun(
                TestEnvironments.local()
                    .with("DASK_SCHEDULER_ADDRESS", dask.address())
                    .with("LIGHTCONE_DASK_LOST_SECONDS", "2"))) {
      Recorder recorder = new Recorder();
      Execution execution =
          FakePlans.in(project)
              .task("u/long", "sleep " + marker)
              .plan()
              .start(DaskSubstrate.on(cluster), recorder);
      assertThat(
              Procs.await(
                  Duration.ofSeconds(60),
                  () -> recorder.started() == 1 && !Procs.withArgument(marker).isEmpty()))
          .isTrue();

      dask.kill("solo");
      ExecutionReport report = execution.await();

      assertThat(report.results().get(0).outcome()).isEqualTo(TaskResult.Outcome.FAILED);
      assertThat(report.results().get(0).detail()).contains("no Dask worker left");
      assertThat(Procs.await(Duration.ofSeconds(10), () -> Procs.withArgument(marker).isEmpty()))
          .as("left: %s", Procs.withArgument(marker))
          .isTrue();
    }
  }

  @Test
  void dask_schedulerKilledUnderATask_failsTheTaskAndKillsItsProcesses() throws Exception {
    String marker =
        String.format(Locale.ROOT, "304.%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
    try (ExternalDask dask =
            ExternalDask.start(daskDir).worker("solo", 1, "cpus=1").awaitWorkers(1);
        DaskCluster cluster =
            DaskCluster.forRun(
                TestEnvironments.local()
                    .with("DASK_SCHEDULER_ADDRESS", dask.address())
                    .with("LIGHTCONE_DASK_LOST_SECONDS", "2"))) {
      Recorder recorder = new Recorder();
      Execution execution =
          FakePlans.in(project)
              .task("u/long", "sleep " + marker)
              .plan()
              .start(DaskSubstrate.on(cluster), recorder);
      assertThat(
              Procs.await(
                  Duration.ofSeconds(60),
                  () -> recorder.started() == 1 && !Procs.withArgument(marker).isEmpty()))
          .isTrue();

      dask.killScheduler();
      ExecutionReport report = execution.await();

      assertThat(report.results().get(0).outcome()).isEqualTo(TaskResult.Outcome.FAILED);
      assertThat(report.results().get(0).detail()).contains("lost the Dask scheduler");
      assertThat(Procs.await(Duration.ofSeconds(30), () -> Procs.withArgument(marker).isEmpty()))
          .as("left: %s", Procs.withArgument(marker))
          .isTrue();
    }
  }

  @Test
  void dask_noWorkerYet_taskWaitsForOneToJoin() throws Exception {
    try (ExternalDask dask = ExternalDask.start(daskDir);
        DaskCluster cluster =
            DaskCluster.forRun(
                TestEnvironments.local().with("DASK_SCHEDULER_ADDRESS", dask.address()))) {
      ExecutionReport report =
          FakePlans.in(project)
              .task("u/a", "echo $LIGHTCONE_DASK_WORKER > worker")
              .plan()
              .execute(
                  DaskSubstrate.on(cluster)
                      .onCluster(
                          c -> {
                            // Joins a second or so after the task was submitted to no worker.
                            try {
                              dask.worker("late", 1, "cpus=1");
                            } catch (java.io.IOException e) {
                              throw new java.io.UncheckedIOException(e);
                            }
                          }));

      assertThat(report.results().get(0).outcome()).isEqualTo(TaskResult.Outcome.SUCCEEDED);
      assertThat(java.nio.file.Files.readString(project.resolve("worker")).strip())
          .isEqualTo("late");
    }
  }
}
