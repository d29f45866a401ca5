package io.lightcone.core.internal.run;

import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.TaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** lightcone-core's side of a {@link io.lightcone.Plan}: its task runner, plumbing and lock. */
public final class CoreRuntime implements PlanRuntime {
  private final ProjectState state;
  private final Environment environment;
  private final LocalTaskRunner.Options options;
  private final List<PlannedTask> tasks;
  private LocalTaskRunner runner;

  public CoreRuntime(
      ProjectState state,
      Environment environment,
      LocalTaskRunner.Options options,
      List<PlannedTask> tasks) {
    this.state = state;
    this.environment = environment;
    this.options = options;
    this.tasks = List.copyOf(tasks);
  }

  @Override
  public synchronized TaskRunner runner() {
    if (runner == null) {
      runner =
          new LocalTaskRunner(
              state,
              environment,
              options.forcing(
                  tasks.stream()
                      .filter(t -> t.reasons().contains("forced"))
                      .map(t -> t.task().id())
                      .collect(java.util.stream.Collectors.toSet())));
    }
    return runner;
  }

  @Override
  public List<String> taskCommand(Task task) {
    List<String> argv = new ArrayList<>(Plumbing.launcher(environment));
    argv.addAll(
        List.of(
            "task",
            "run",
            "--project",
            state.directory().toString(),
            task.id().toString(),
            "--expect-code-version",
            task.codeVersion()));
    return argv;
  }

  @Override
  public AutoCloseable lock() {
    RunLock lock = RunLock.acquire(state.directory());
    try {
      Orphans.killLeftovers(state.directory());
      Publisher.recover(
          tasks.stream().map(t -> state.directory().resolve(t.task().outputDir())).toList());
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot clean up after an earlier run", e);
    }
    return () -> {
      synchronized (this) {
        if (runner != null) {
          runner.close();
          runner = null;
        }
      }
      lock.close();
    };
  }

  /** Where a previous run's recipes are recorded while they run. */
  static Path runningDir(Path project) {
    return project.resolve(".lightcone/running");
  }

  static void ensure(Path dir) throws IOException {
    Files.createDirectories(dir);
  }
}
