package io.lightcone.core;

import io.lightcone.LightconeException;
import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import io.lightcone.core.internal.plan.ProjectState;
import io.lightcone.core.internal.run.LocalTaskRunner;
import io.lightcone.event.ExecutionListener;
import io.lightcone.spi.Cancellation;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One project's task runner kept for many tasks ({@link Project#taskServer}): what the long-lived
 * {@code lc task serve} runs each request with. Each task is derived again from the project as it
 * is now (reloaded when a file that defines the task changed) and must still have the {@code
 * code_version} the plan computed, exactly as with {@link Project#runTask}. Thread-safe: tasks may
 * run at once, each cancelled on its own.
 */
public final class TaskServer implements AutoCloseable {
  private final AtomicReference<ProjectState> state;
  private final LocalTaskRunner runner;

  TaskServer(ProjectState state, LocalTaskRunner runner) {
    this.state = new AtomicReference<>(state);
    this.runner = runner;
  }

  /**
   * Runs {@code task}, which must still have {@code expectedCodeVersion}; {@code cancellation}
   * kills its recipe's process tree and publishes nothing.
   *
   * @throws LightconeException of kind USER_INPUT when the project no longer has the task
   */
  public TaskResult run(TaskId task, String expectedCodeVersion, Cancellation cancellation) {
    ProjectState current = state.updateAndGet(s -> s.current(task.universe().value()));
    Task expected =
        Task.builder().from(current.task(task)).codeVersion(expectedCodeVersion).build();
    return runner.run(expected, 1, cancellation, ExecutionListener.NONE);
  }

  @Override
  public void close() {
    runner.close();
  }
}
