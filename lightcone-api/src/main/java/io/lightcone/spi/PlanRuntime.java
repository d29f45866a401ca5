package io.lightcone.spi;

import io.lightcone.Task;
import java.util.List;

/**
 * What a {@link io.lightcone.Plan} needs from lightcone-core to be executed: the task runner, the
 * plumbing command for out-of-process substrates, and the project's run lock. Users never call it;
 * substrates reach it through {@link ExecutionContext}.
 */
public interface PlanRuntime {
  TaskRunner runner();

  /**
   * The task runner as used by the substrate named {@code substrate}, which the manifests it writes
   * record. The default ignores the name.
   */
  default TaskRunner runner(String substrate) {
    return runner();
  }

  /**
   * The command line that runs {@code task} through the task runner in a fresh process: {@code lc
   * task run --project DIR TASK_ID --expect-code-version CV}, for Snakemake rules, Dask workers and
   * SLURM steps.
   */
  List<String> taskCommand(Task task);

  /**
   * The plumbing command of {@code task} as run by the substrate named {@code substrate}, which the
   * manifest records. The default ignores the name.
   */
  default List<String> taskCommand(Task task, String substrate) {
    return taskCommand(task);
  }

  /**
   * Takes the project's run lock (one execution per project at a time).
   *
   * @return releases the lock
   * @throws io.lightcone.LightconeException naming the holder when another execution holds it
   */
  AutoCloseable lock();
}
