package io.lightcone.dask;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.Execution;
import io.lightcone.ExecutionReport;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.dask.internal.DaskEnvironment;
import io.lightcone.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DaskSubstrate on a real local Dask cluster (scheduler on loopback, one worker), shared. */
class DaskSubstrateTest {
  static DaskCluster cluster;

  @TempDir Path project;

  @BeforeAll
  static void startCluster() {
    cluster = DaskCluster.forRun(TestEnvironments.local());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ExecutionReport run(FakePlans plan, DaskSubstrate substrate, Recorder recorder) {
    return plan.plan().execute(substrate, recorder);
  }

  @Test
  void dask_chain_runsDependentsAfterTheirInputsOnTheWorker() throws IOException {
    Recorder recorder = new Recorder();
    ExecutionReport report =
        run(
            FakePlans.in(project)
                .task("u/a", "mkdir -p out && echo one > out/a.txt")
                .task(
                    "u/b",
                    "cat out/a.txt > out/b.txt && echo $LIGHTCONE_DASK_WORKER >> out/b.txt",
                    "u/a")
                .fresh("u/c"),
            DaskSubstrate.on(cluster),
            recorder);

    assertThat(report.substrate()).isEqualTo("dask");
    assertThat(report.results())
        .extracting(TaskResult::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.SUCCEEDED, Outcome.UP_TO_DATE);
    assertThat(Files.readAllLines(project.resolve("out/b.txt"))).containsExactly("one", "local");
    assertThat(recorder.events())
        .containsExactly(
            "finished u/c up-to-date",
            "started u/a 1",
            "finished u/a succeeded",
            "started u/b 1",
            "finished u/b succeeded");
  }

  @Test
  void dask_failedTask_skipsItsDependentsAndStartsNothingNew() {
    ExecutionReport report =
        run(
            FakePlans.in(project)
                .task("u/a", "echo broken >&2; exit 3")
                .task("u/b", "true", "u/a")
                .task("u/c", "true", "u/b"),
            DaskSubstrate.on(cluster),
            new Recorder());

    assertThat(report.results())
        .extracting(TaskResult::outcome)
        .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);
    assertThat(report.results().get(0).detail()).contains("exited with 3").contains("broken");
    assertThat(report.results().get(1).detail()).isEqualTo("skipped: u/a failed");
  }

  @Test
  void dask_failure_takesBackTasksDaskHasNotStarted() {
    // Every ready task goes to Dask at once; with two threads most of them wait there. (A task
    // a freed thread picks up in the instant before the withdrawal arrives may start: the
    // conformance suite's jobs=1 case is the one without that window.)
    FakePlans plan = FakePlans.in(project).task("u/bad", "sleep 0.3; exit 1");
    for (int i = 0; i < 6; i++) {
      plan.task("u/t" + i, "touch t" + i + ".start; sleep 1");
    }
    ExecutionReport report = run(plan, DaskSubstrate.on(cluster), new Recorder());

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().subList(1, 7))
        .extracting(TaskResult::outcome)
        .containsOnly(Outcome.SUCCEEDED, Outcome.SKIPPED);
    assertThat(report.results().subList(1, 7))
        .filteredOn(r -> r.outcome() == Outcome.SKIPPED)
        .allSatisfy(r -> assertThat(r.detail()).isEqualTo("not started: an earlier task failed"))
        .filteredOn(r -> !Files.exists(project.resolve(r.task().output() + ".start")))
        .hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void dask_jobs_capsTasksOnTheClusterAtOnce() throws IOException {
    FakePlans plan = FakePlans.in(project);
    for (int i = 0; i < 3; i++) {
      plan.task("u/t" + i, "s=$(date +%s%N); sleep 0.3; echo $s $(date +%s%N) > t" + i);
    }
    ExecutionReport report = run(plan, DaskSubstrate.on(cluster).jobs(1), new Recorder());

    assertThat(report.succeeded()).isTrue();
    List<long[]> spans = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String[] t = Files.readString(project.resolve("t" + i)).strip().split(" ");
      spans.add(new long[] {Long.parseLong(t[0]), Long.parseLong(t[1])});
    }
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    assertThat(spans.get(1)[0]).isGreaterThanOrEqualTo(spans.get(0)[1]);
    assertThat(spans.get(2)[0]).isGreaterThanOrEqualTo(spans.get(1)[1]);
  }

  @Test
  void dask_keepGoing_runsWhatDoesNotDependOnTheFailure() {
    ExecutionReport report =
        run(
            FakePlans.in(project)
                .task("u/a", "exit 1")
                .task("u/b", "true", "u/a")
                .task("u/c", "sleep 0.3"),
            DaskSubstrate.on(cluster).keepGoing(true),
            new Recorder());

    assertThat(report.results())
        .extracting(TaskResult::outcome)
        .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SUCCEEDED);
  }

  @Test
  void dask_retries_runAFailedTaskAgain() {
    Recorder recorder = new Recorder();
    ExecutionReport report =
        run(
            FakePlans.in(project)
                .task(
                    "u/a",
                    "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; [ $n -ge 2 ]"),
            DaskSubstrate.on(cluster).retries(1),
            recorder);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.results().get(0).attempts()).isEqualTo(2);
    assertThat(recorder.events())
        .containsExactly(
            "started u/a 1", "finished u/a failed", "started u/a 2", "finished u/a succeeded");
  }

  @Test
  void dask_taskBiggerThanEveryWorker_failsAtOnceNamingTheWorkers() {
    long start = System.nanoTime();
    ExecutionReport report =
        run(
            FakePlans.in(project).task("u/gpu", Resources.builder().gpus(1).build(), "true"),
            DaskSubstrate.on(cluster),
            new Recorder());

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().get(0).detail())
        .contains("more than any Dask worker has")
        .contains("gpus")
        .contains("local");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void dask_cancel_killsEveryProcessOfTheRunBeforeReturning() {
    // A unique argument marks this test's processes in the process table.
    String marker =
        String.format(Locale.ROOT, "300.%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
    Recorder recorder = new Recorder();
    Execution execution =
        FakePlans.in(project)
            .task("u/a", "sleep " + marker + " & sleep " + marker + "; wait")
            .task("u/b", "sleep " + marker)
            .task("u/c", "true", "u/a")
            .plan()
            .start(DaskSubstrate.on(cluster), recorder);
    assertThat(
            Procs.await(
                Duration.ofSeconds(60),
                () -> recorder.started() == 2 && Procs.withArgument(marker).size() >= 3))
        .as("both tasks run: %s", recorder.events())
        .isTrue();

    execution.cancel();
    ExecutionReport report = execution.await();

    assertThat(Procs.withArgument(marker)).isEmpty();
    assertThat(report.results())
        .extracting(TaskResult::outcome)
        .containsExactly(Outcome.CANCELLED, Outcome.CANCELLED, Outcome.CANCELLED);
    assertThat(recorder.events()).filteredOn(e -> e.startsWith("finished")).hasSize(3);
  }

  @Test
  void dask_onCluster_hearsTheClusterBeforeAnyTaskStarts() {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    Recorder recorder = new Recorder();
    ExecutionReport report =
        run(
            FakePlans.in(project).task("u/a", "true"),
            DaskSubstrate.on(cluster)
                .onCluster(c -> heard.add(c.address() + " " + recorder.events().size())),
            recorder);

    assertThat(report.succeeded()).isTrue();
    assertThat(heard).containsExactly(cluster.address() + " 0");
  }

  @Test
  void dask_cancel_killsARecipeInASessionOfItsOwn_asLcTaskRunStartsIt() throws IOException {
    // The plumbing command (here sh, really lc task run) starts its recipe with setsid: killing
    // the plumbing first must not let the recipe escape to init.
    Recorder recorder = new Recorder();
    Execution execution =
        FakePlans.in(project)
            .task("u/a", "setsid sh -c 'echo $$ > recipe.pid; exec sleep 300' & wait")
            .plan()
            .start(DaskSubstrate.on(cluster), recorder);
    Path pid = project.resolve("recipe.pid");
    assertThat(
            Procs.await(
                Duration.ofSeconds(60),
                () -> {
                  try {
                    return Files.exists(pid) && !Files.readString(pid).isBlank();
                  } catch (IOException e) {
                    return false;
                  }
                }))
        .isTrue();

    execution.cancel();
    ExecutionReport report = execution.await();

    long recipe = Long.parseLong(Files.readString(pid).strip());
    assertThat(Procs.alive(List.of(recipe))).isEmpty();
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.CANCELLED);
  }

  @Test
  void dask_nothingToRun_startsNoCluster() {
    // An interpreter that does not exist: starting a cluster would fail.
    DaskEnvironment broken =
        TestEnvironments.local().with("LIGHTCONE_PYTHON", "/nonexistent/python3");
    ExecutionReport report =
        run(FakePlans.in(project).fresh("u/a"), DaskSubstrate.create(broken), new Recorder());

    assertThat(report.results())
        .extracting(TaskResult::outcome)
        .containsExactly(Outcome.UP_TO_DATE);
  }

  @Test
  void dask_cancelWhileTheClusterStarts_cancelsEveryTaskAndStopsTheStart() throws IOException {
    // An "interpreter" that never says ready and ends when its stdin does, like the keeper.
    Path python = project.resolve("slow-python-" + ThreadLocalRandom.current().nextInt(1 << 30));
    Files.writeString(python, "#!/bin/sh\ncat > /dev/null\n");
    Files.setPosixFilePermissions(
        python, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Execution execution =
        FakePlans.in(project)
            .task("u/a", "true")
            .plan()
            .start(
                DaskSubstrate.create(
                    TestEnvironments.local().with("LIGHTCONE_PYTHON", python.toString())),
                new Recorder());
    assertThat(
            Procs.await(
                Duration.ofSeconds(30), () -> !Procs.withArgument(python.toString()).isEmpty()))
        .isTrue();

    execution.cancel();
    ExecutionReport report = execution.await();

    assertThat(report.results()).extracting(TaskResult::outcome).containsExactly(Outcome.CANCELLED);
    assertThat(Procs.withArgument(python.toString())).isEmpty();
  }

  @Test
  void result_readsTheTaskRunnersProtocolAnswer_notItsPrintedLines() {
    var id = io.lightcone.TaskId.parse("u/fit");
    String okLine =
        io.lightcone.core.TaskProtocol.answer(
            "k1",
            new TaskResult(
                id,
                Outcome.SUCCEEDED,
                java.util.OptionalInt.of(0),
                "",
                java.util.Optional.empty(),
                Duration.ofMillis(300),
                1,
                List.of("empty output")));
    String failedLine =
        io.lightcone.core.TaskProtocol.answer(
            "k2",
            new TaskResult(
                id,
                Outcome.FAILED,
                java.util.OptionalInt.of(3),
                "exit code 3 (log: .lightcone/logs/u/fit.log)",
                java.util.Optional.of(".lightcone/logs/u/fit.log"),
                Duration.ofMillis(200),
                1,
                List.of()));
    TaskResult ok =
        DaskSubstrate.result(
            id,
            new io.lightcone.dask.internal.Sidecar.Done("u/fit", 1, 0, "", okLine, "w", "h", 9.0),
            1);
    TaskResult failed =
        DaskSubstrate.result(
            id,
            new io.lightcone.dask.internal.Sidecar.Done(
                "u/fit", 2, 1, "ignored: not parsed", failedLine, "w", "h", 9.0),
            2);

    assertThat(ok.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(ok.warnings()).containsExactly("empty output");
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.detail()).isEqualTo("exit code 3 (log: .lightcone/logs/u/fit.log)");
    assertThat(failed.exitCode()).hasValue(3);
    assertThat(failed.log()).contains(".lightcone/logs/u/fit.log");
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(List.of(ok.duration(), failed.duration()))
        .containsExactly(Duration.ofMillis(300), Duration.ofMillis(200));
  }

  @Test
  void result_ofAnotherCommand_isItsExitCode_andAHostileAnswerFailsTheTask() {
    var id = io.lightcone.TaskId.parse("u/fit");
    TaskResult plain =
        DaskSubstrate.result(
            id,
            new io.lightcone.dask.internal.Sidecar.Done(
                "u/fit", 1, 2, "some output\nlast words\n", "", "w", "h", 0.5),
            1);
    TaskResult truncated =
        DaskSubstrate.result(
            id,
            new io.lightcone.dask.internal.Sidecar.Done(
                "u/fit", 1, 0, "", "{\"protocol\":1,\"task\":\"u/fit\",\"outc", "w", "h", 0.5),
            1);
    TaskResult other =
        DaskSubstrate.result(
            id,
            new io.lightcone.dask.internal.Sidecar.Done(
                "u/fit",
                1,
                0,
                "",
                io.lightcone.core.TaskProtocol.encode(
                    TaskResult.of(io.lightcone.TaskId.parse("u/other"), Outcome.SUCCEEDED, "")),
                "w",
                "h",
                0.5),
            1);

    assertThat(plain.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(plain.detail())
        .isEqualTo("the task command exited with 2: last words (on Dask worker w)");
    assertThat(truncated.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(truncated.detail()).contains("is not JSON").endsWith("(on Dask worker w)");
    assertThat(other.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(other.detail()).contains("answered for u/other instead");
  }
}
