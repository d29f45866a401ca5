package io.lightcone.core.internal.run;

import io.lightcone.PlannedTask;
import io.lightcone.Task;
import io.lightcone.core.internal.Environment;
import io.lightcone.core.internal.cache.CacheStore;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.TaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** lightcone-core's side of a {@link io.lightcone.Plan}: its task runner, plumbing and lock. */
public final class CoreRuntime implements PlanRuntime {
  private final ProjectState state;
  private final Environment environment;
  private final LocalTaskRunner.Options options;
  private final List<PlannedTask> tasks;
  private final Map<String, LocalTaskRunner> runners = new HashMap<>();

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
  public TaskRunner runner() {
    return runner(options.substrate());
  }

  /** One runner per substrate name, so that each manifest records who ran the task. */
  @Override
  public synchronized TaskRunner runner(String substrate) {
    return runners.computeIfAbsent(
        substrate,
        name ->
            new LocalTaskRunner(
                state,
                environment,
                new LocalTaskRunner.Options(
                    options.strictInputs(),
                    options.keepFailed(),
                    options.hashThreads(),
                    name,
                    options.cache(),
                    tasks.stream()
                        .filter(t -> t.reasons().contains("forced"))
                        .map(t -> t.task().id())
                        .collect(Collectors.toSet()),
                    options.containers(),
                    options.sandbox())));
  }

  @Override
  public List<String> taskCommand(Task task) {
    return taskCommand(task, options.substrate());
  }

  /**
   * The plumbing command carries every run option the task runner honours, so that a task run in
   * another process writes the manifest this process would have written.
   */
  @Override
  public List<String> taskCommand(Task task, String substrate) {
    List<String> argv = new ArrayList<>(Plumbing.launcher(environment));
    argv.addAll(
        List.of(
            "task",
            "run",
            "--project",
            state.directory().toString(),
            task.id().toString(),
            "--expect-code-version",
            task.codeVersion(),
            "--substrate",
            substrate));
    if (options.strictInputs()) {
      argv.add("--strict-inputs");
    }
    if (options.keepFailed()) {
      argv.add("--keep-failed");
    }
    if (options.cache().isEmpty()) {
      argv.add("--no-cache");
    }
    options
        .cache()
        .filter(c -> c.link() != CacheStore.Link.AUTO)
        .ifPresent(c -> argv.addAll(List.of("--link", c.link().id())));
    options.containers().requested().ifPresent(r -> argv.addAll(List.of("--runtime", r)));
    argv.addAll(options.sandbox().plumbingOptions());
    return argv;
  }

  @Override
  public AutoCloseable lock() {
    RunLock lock = RunLock.acquire(state.directory());
    try {
      Orphans.killLeftovers(state.directory());
      Publisher.recover(
          tasks.stream().map(t -> state.directory().resolve(t.task().outputDir())).toList(),
          environment.host());
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot clean up after an earlier run", e);
    }
    return () -> {
      synchronized (this) {
        runners.values().forEach(LocalTaskRunner::close);
        runners.clear();
      }
      try {
        // An out-of-process substrate that was cancelled or crashed may have lost a plumbing
        // process mid-task: its recipe may still run and its staging directory may remain. The
        // lock still held, end and repair them now rather than at the next run.
        Orphans.killLeftovers(state.directory());
        Publisher.recover(
            tasks.stream()
                .filter(t -> t.action() != PlannedTask.Action.SKIP)
                .map(t -> state.directory().resolve(t.task().outputDir()))
                .toList(),
            environment.host());
      } finally {
        lock.close();
      }
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
