package io.lightcone.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightcone.ExecutionReport;
import io.lightcone.Plan;
import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.TaskResult.Outcome;
import io.lightcone.event.ExecutionListener;
import io.lightcone.model.OutputType;
import io.lightcone.model.Resources;
import io.lightcone.spi.Cancellation;
import io.lightcone.spi.CancellationSignal;
import io.lightcone.spi.ExecutionContext;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.SchedulingOptions;
import io.lightcone.spi.TaskRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The scheduler alone, with a fake launcher that ends one launched attempt per poll, oldest first,
 * with the outcome a script gives: no threads, no timing.
 */
class TaskSchedulerTest {
  private final List<PlannedTask> tasks = new ArrayList<>();
  private final CancellationSignal cancellation = new CancellationSignal();
  private final List<String> heard = new ArrayList<>();
  private TaskRunner runner;

  @Test
  void localSubstrate_aRunnerThreadDyingOfAnError_endsTheRunInsteadOfHangingIt() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    runner =
        (task, attempt, cancellation, listener) -> {
          throw new UnsatisfiedLinkError("no zstd-jni in java.library.path");
        };

    ExecutionReport report =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            Duration.ofMinutes(1), () -> LocalSubstrate.create().jobs(2).execute(context()));

    assertThat(report.results()).hasSize(2);
    TaskResult a = report.results().get(0);
    assertThat(a.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(a.detail()).contains("no zstd-jni in java.library.path");
    assertThat(report.results().get(1).outcome()).isNotEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void admitsNoMoreCpusThanTheBudgetHolds() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    task("u/c", 2.0);
    task("u/d", 1.0);
    task("u/e", 3.0); // more than the budget: clamped, runs alone
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(2), fake);

    assertThat(outcomes(report)).containsOnly(Outcome.SUCCEEDED).hasSize(5);
    assertThat(fake.mostCpus).isEqualTo(2.0);
    // d fits beside b where c does not; e, clamped to the whole budget, waits until all ended
    assertThat(fake.launched).containsExactly("u/a#1", "u/b#1", "u/d#1", "u/c#1", "u/e#1");
  }

  @Test
  void capsTheTasksAtOnceWithJobs() {
    for (String id : List.of("u/a", "u/b", "u/c", "u/d")) {
      task(id, 0.5);
    }
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);

    run(SchedulingOptions.DEFAULT.jobs(3), TaskScheduler.Budget.UNLIMITED, fake);

    assertThat(fake.mostAtOnce).isEqualTo(3);
  }

  @Test
  void releasedResourcesLetTheNextTaskStartWhileOnePublishes() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);
    fake.releaseOnLaunch = true;

    run(SchedulingOptions.DEFAULT, budget(1), fake);

    assertThat(fake.mostAtOnce).isEqualTo(2); // a publishing, b's recipe running
  }

  @Test
  void retriesAFailedTaskAndTellsTheListenerOfEachAttempt() {
    task("u/a", 1.0);
    Fake fake = new Fake((t, attempt) -> attempt == 1 ? Outcome.FAILED : Outcome.SUCCEEDED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT.retries(1), budget(2), fake);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.results().get(0).attempts()).isEqualTo(2);
    assertThat(heard)
        .containsExactly(
            "started u/a#1", "finished u/a FAILED", "started u/a#2", "finished u/a SUCCEEDED");
  }

  @Test
  void doesNotRetryBeyondRetries() {
    task("u/a", 1.0);
    Fake fake = new Fake((t, attempt) -> Outcome.FAILED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT.retries(2), budget(2), fake);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(fake.launched).containsExactly("u/a#1", "u/a#2", "u/a#3");
  }

  @Test
  void keepGoingRunsWhatDoesNotDependOnTheFailure() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    task("u/c", 1.0);
    Fake fake = new Fake((t, attempt) -> t.equals("u/a") ? Outcome.FAILED : Outcome.SUCCEEDED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT.keepGoing(true), budget(1), fake);

    assertThat(outcomes(report))
        .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SUCCEEDED);
    assertThat(report.results().get(1).detail()).isEqualTo("skipped: u/a failed");
  }

  @Test
  void withoutKeepGoingNothingStartsAfterAFailure() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    task("u/c", 1.0);
    Fake fake = new Fake((t, attempt) -> Outcome.FAILED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(1), fake);

    assertThat(outcomes(report)).containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SKIPPED);
    assertThat(report.results().get(1).detail()).isEqualTo("not started: an earlier task failed");
    assertThat(fake.launched).containsExactly("u/a#1");
  }

  @Test
  void afterAFailureTheLauncherTakesBackWhatHasNotStarted() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    Fake fake = new Fake((t, attempt) -> Outcome.FAILED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(2), fake);

    assertThat(fake.withdrawals).isEqualTo(1);
    assertThat(outcomes(report)).containsExactly(Outcome.FAILED, Outcome.SKIPPED);
    assertThat(report.results().get(1).detail()).isEqualTo("not started: an earlier task failed");
  }

  @Test
  void cancellationEndsWhatRunsAndStartsNothingMore() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    task("u/c", 1.0, "u/a");
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);
    fake.cancelOnFirstPoll = true;

    ExecutionReport report = run(SchedulingOptions.DEFAULT.retries(3), budget(2), fake);

    assertThat(fake.cancels).isEqualTo(1);
    assertThat(outcomes(report)).containsOnly(Outcome.CANCELLED).hasSize(3);
    assertThat(report.results().get(2).detail()).isEqualTo("cancelled before it started");
    assertThat(fake.launched).containsExactly("u/a#1", "u/b#1");
  }

  @Test
  void aTaskLargerThanTheBudgetFailsAtOnce() {
    tasks.add(
        planned(
            "u/a",
            Resources.builder().memory("1024Gi").build(),
            PlannedTask.Action.RUN,
            new String[0]));
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);

    ExecutionReport report =
        run(SchedulingOptions.DEFAULT, new TaskScheduler.Budget(2, 1L << 30, 0, "local"), fake);

    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.results().get(0).detail())
        .startsWith("needs 1048576 MiB of memory, the local budget is 1024 MiB");
    assertThat(fake.launched).isEmpty();
  }

  @Test
  void freshTasksAreUpToDateAndNotLaunched() {
    tasks.add(planned("u/a", Resources.builder().build(), PlannedTask.Action.SKIP, new String[0]));
    task("u/b", 1.0, "u/a");
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(1), fake);

    assertThat(outcomes(report)).containsExactly(Outcome.UP_TO_DATE, Outcome.SUCCEEDED);
    assertThat(fake.launched).containsExactly("u/b#1");
  }

  @Test
  void aLauncherThatOrdersDependencies_getsATaskWhileItsDependencyIsLaunched() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);
    fake.ordersDependencies = true;

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(2), fake);

    assertThat(outcomes(report)).containsExactly(Outcome.SUCCEEDED, Outcome.SUCCEEDED);
    assertThat(fake.mostAtOnce).isEqualTo(2); // b launched before a ended
  }

  @Test
  void aRetriedTask_getsItsLaunchedDependentsTakenBackAndLaunchedAgainAfterIt() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    task("u/c", 1.0, "u/b");
    Fake fake =
        new Fake(
            (t, attempt) -> attempt == 1 && t.equals("u/a") ? Outcome.FAILED : Outcome.SUCCEEDED);
    fake.ordersDependencies = true;

    ExecutionReport report = run(SchedulingOptions.DEFAULT.retries(1), budget(3), fake);

    assertThat(outcomes(report)).containsOnly(Outcome.SUCCEEDED).hasSize(3);
    assertThat(fake.takenBack).containsExactly("u/b", "u/c");
    assertThat(fake.launched).containsExactly("u/a#1", "u/b#1", "u/c#1", "u/a#2", "u/b#1", "u/c#1");
    assertThat(report.results().get(1).attempts()).isEqualTo(1);
  }

  @Test
  void aFailedTask_getsItsLaunchedDependentsTakenBackAndSkipped() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    task("u/c", 1.0);
    Fake fake = new Fake((t, attempt) -> t.equals("u/a") ? Outcome.FAILED : Outcome.SUCCEEDED);
    fake.ordersDependencies = true;

    ExecutionReport report = run(SchedulingOptions.DEFAULT.keepGoing(true), budget(3), fake);

    assertThat(outcomes(report))
        .containsExactly(Outcome.FAILED, Outcome.SKIPPED, Outcome.SUCCEEDED);
    assertThat(report.results().get(1).detail()).isEqualTo("skipped: u/a failed");
    assertThat(fake.takenBack).containsExactly("u/b");
  }

  @Test
  void adoptedAttempts_areWaitedFor_andAdoptedResultsAreFinal_neitherLaunchedAgain() {
    task("u/a", 1.0);
    task("u/b", 1.0);
    task("u/c", 1.0, "u/a");
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);
    fake.adopt =
        adoption -> {
          fake.running.put(TaskId.parse("u/a"), 2);
          adoption.launched(TaskId.parse("u/a"), 2);
          adoption.ended(result(TaskId.parse("u/b"), Outcome.SUCCEEDED, 1));
        };

    ExecutionReport report = run(SchedulingOptions.DEFAULT.jobs(1), budget(2), fake);

    assertThat(outcomes(report)).containsOnly(Outcome.SUCCEEDED).hasSize(3);
    assertThat(report.results().get(0).attempts()).isEqualTo(2);
    assertThat(fake.launched).containsExactly("u/c#1");
  }

  @Test
  void aLauncherThatHandsOver_returnsOnceAllIsLaunched_eachTaskSubmitted() {
    task("u/a", 1.0);
    task("u/b", 1.0, "u/a");
    Fake fake = new Fake((t, attempt) -> Outcome.SUCCEEDED);
    fake.ordersDependencies = true;
    fake.handOver = true;

    ExecutionReport report = run(SchedulingOptions.DEFAULT, budget(2), fake);

    assertThat(outcomes(report)).containsExactly(Outcome.SUBMITTED, Outcome.SUBMITTED);
    assertThat(fake.polls).isZero();
    assertThat(fake.launched).containsExactly("u/a#1", "u/b#1");
  }

  /** Ends the oldest launched attempt at each poll, with the scripted outcome. */
  private final class Fake implements TaskScheduler.Launcher {
    final BiFunction<String, Integer, Outcome> script;
    final Map<TaskId, Integer> running = new LinkedHashMap<>();
    final Map<TaskId, Double> cpus = new HashMap<>();
    final List<String> launched = new ArrayList<>();
    double mostCpus;
    int mostAtOnce;
    int withdrawals;
    int cancels;
    boolean releaseOnLaunch;
    boolean cancelOnFirstPoll;
    boolean ordersDependencies;
    boolean handOver;
    int polls;
    final List<String> takenBack = new ArrayList<>();
    java.util.function.Consumer<TaskScheduler.Adoption> adopt = adoption -> {};

    Fake(BiFunction<String, Integer, Outcome> script) {
      this.script = script;
    }

    @Override
    public void launch(Task task, int attempt, TaskScheduler.Events events) {
      launched.add(task.id() + "#" + attempt);
      running.put(task.id(), attempt);
      cpus.put(task.id(), task.resources().map(r -> r.cpus().orElse(1.0)).orElse(1.0));
      mostAtOnce = Math.max(mostAtOnce, running.size());
      double held = 0;
      for (TaskId id : running.keySet()) {
        held += Math.min(cpus.get(id), 2.0);
      }
      mostCpus = Math.max(mostCpus, releaseOnLaunch ? 0 : held);
      if (releaseOnLaunch) {
        events.started(task.id(), attempt);
        events.released(task.id());
      }
    }

    @Override
    public Optional<Duration> pollInterval() {
      return Optional.of(Duration.ZERO);
    }

    @Override
    public void poll(TaskScheduler.Events events) {
      polls++;
      if (cancelOnFirstPoll) {
        cancelOnFirstPoll = false;
        cancellation.cancel();
        return;
      }
      Map.Entry<TaskId, Integer> first = running.entrySet().iterator().next();
      running.remove(first.getKey());
      events.started(first.getKey(), first.getValue());
      events.ended(
          result(
              first.getKey(),
              script.apply(first.getKey().toString(), first.getValue()),
              first.getValue()));
    }

    @Override
    public void cancelAll(TaskScheduler.Events events) {
      cancels++;
      running.forEach((id, attempt) -> events.ended(result(id, Outcome.CANCELLED, attempt)));
      running.clear();
    }

    @Override
    public boolean ordersDependencies() {
      return ordersDependencies;
    }

    @Override
    public java.util.Set<TaskId> takeBack(List<TaskId> tasks) {
      tasks.forEach(t -> takenBack.add(t.toString()));
      tasks.forEach(running::remove);
      return java.util.Set.copyOf(tasks);
    }

    @Override
    public void adopt(List<Task> tasks, TaskScheduler.Adoption adoption) {
      adopt.accept(adoption);
    }

    @Override
    public boolean handOver(TaskScheduler.Events events) {
      if (handOver) {
        running.forEach((id, attempt) -> events.ended(result(id, Outcome.SUBMITTED, attempt)));
        running.clear();
      }
      return handOver;
    }

    @Override
    public void withdraw(TaskScheduler.Events events) {
      withdrawals++;
      running.keySet().forEach(events::withdrawn);
      running.clear();
    }
  }

  private static TaskResult result(TaskId id, Outcome outcome, int attempt) {
    return new TaskResult(
        id,
        outcome,
        OptionalInt.empty(),
        outcome.word(),
        Optional.empty(),
        Duration.ZERO,
        attempt,
        List.of());
  }

  private static TaskScheduler.Budget budget(double cpus) {
    return new TaskScheduler.Budget(cpus, Long.MAX_VALUE, 0, "test");
  }

  private static List<Outcome> outcomes(ExecutionReport report) {
    return report.results().stream().map(TaskResult::outcome).toList();
  }

  private void task(String id, double cpus, String... dependsOn) {
    tasks.add(
        planned(id, Resources.builder().cpus(cpus).build(), PlannedTask.Action.RUN, dependsOn));
  }

  private static PlannedTask planned(
      String id, Resources resources, PlannedTask.Action action, String[] dependsOn) {
    Task.Builder t =
        Task.builder()
            .id(TaskId.parse(id))
            .analysisId("fake")
            .outputType(OutputType.DATA)
            .outputDir("results/" + id)
            .template("true")
            .command("true")
            .codeVersion("sha256:fake")
            .resources(resources);
    Arrays.stream(dependsOn).map(TaskId::parse).forEach(t::addDependsOn);
    return PlannedTask.builder().task(t.build()).action(action).addReasons("test").build();
  }

  private ExecutionReport run(
      SchedulingOptions options, TaskScheduler.Budget budget, TaskScheduler.Launcher launcher) {
    return TaskScheduler.run(context(), "test", options, budget, launcher);
  }

  private ExecutionContext context() {
    Plan plan = new Plan(Path.of("."), tasks, List.of(), new NoRuntime());
    ExecutionListener listener =
        new ExecutionListener() {
          @Override
          public void taskStarted(TaskId task, int attempt) {
            heard.add("started " + task + "#" + attempt);
          }

          @Override
          public void taskFinished(TaskResult result) {
            heard.add("finished " + result.task() + " " + result.outcome());
          }
        };
    ExecutionContext context =
        new ExecutionContext() {
          @Override
          public Plan plan() {
            return plan;
          }

          @Override
          public TaskRunner runner() {
            if (runner == null) {
              throw new UnsupportedOperationException();
            }
            return runner;
          }

          @Override
          public List<String> taskCommand(Task task) {
            throw new UnsupportedOperationException();
          }

          @Override
          public ExecutionListener listener() {
            return listener;
          }

          @Override
          public Cancellation cancellation() {
            return cancellation;
          }
        };
    return context;
  }

  private static final class NoRuntime implements PlanRuntime {
    @Override
    public TaskRunner runner() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> taskCommand(Task task) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AutoCloseable lock() {
      return () -> {};
    }
  }
}
