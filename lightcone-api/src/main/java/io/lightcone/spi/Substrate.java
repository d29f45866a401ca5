package io.lightcone.spi;

import io.lightcone.ExecutionReport;
import io.lightcone.Plan;
import java.util.Optional;

/**
 * Runs the tasks of a plan: a thread pool, Snakemake, Dask. Passed as an instance: {@code
 * plan.execute(LocalSubstrate.create())}.
 *
 * <p>Contract. A substrate MUST:
 *
 * <ul>
 *   <li>return one {@link io.lightcone.TaskResult} per task of {@code context.plan().tasks()}, in
 *       plan order: tasks planned {@code SKIP} are {@code UP_TO_DATE} and are not run;
 *   <li>start a task only after every task it depends on ended {@code ok()};
 *   <li>run recipes and publish outputs only through {@code context.runner()} or {@code
 *       context.taskCommand(task)}, so every substrate writes the same manifests;
 *   <li>treat a failed task as a result: its dependents are {@code SKIPPED}; without keep-going no
 *       new task starts after a failure (running ones finish), the rest are {@code SKIPPED};
 *   <li>on cancellation ({@code context.cancellation()}, or the calling thread interrupted) start
 *       nothing more, kill every running task's whole process tree, report unstarted and killed
 *       tasks {@code CANCELLED}, and return promptly, leaving no half-published output;
 *   <li>pair every {@code taskStarted} with one {@code taskFinished} on the listener.
 * </ul>
 *
 * A substrate MAY run independent tasks in parallel, retry failed tasks, and bin-pack by resources.
 * {@link #execute} is called once per execution and may be called from any thread; an instance may
 * be reused for later executions.
 *
 * <p>Who does what. lightcone-core's {@code io.lightcone.core.TaskScheduler} does all of the above
 * once: admission by {@code cpus}, {@code memory}, {@code gpus} and a cap on tasks at once,
 * dependency order, keep-going, retries, cancellation and the listener's events. A substrate that
 * uses it supplies only a {@code TaskScheduler.Launcher}: how one admitted task is launched (the
 * task runner on a thread, a Dask future, a SLURM job) and how its end is observed (a callback, or
 * a poll that reads every task's state at once). A substrate that owns the DAG itself (Snakemake)
 * replaces the whole scheduler: order, admission by {@code -j} and resources, keep-going and
 * retries are the engine's, mapped from {@link SchedulingOptions}; it still runs each task through
 * the task runner and still owes the results, the events and cancellation above.
 *
 * <pre>{@code ExecutionReport r = plan.execute(LocalSubstrate.create().keepGoing(true));}</pre>
 */
public interface Substrate {
  /** A short name for reports and manifests: {@code local}, {@code snakemake}, {@code dask}. */
  String name();

  ExecutionReport execute(ExecutionContext context);

  /**
   * This substrate with the common options applied ({@code -j}, {@code --keep-going}, {@code
   * --retries}); the instance itself is not changed. The default takes only {@link
   * SchedulingOptions#DEFAULT} and refuses anything else, naming the substrate.
   *
   * @throws io.lightcone.LightconeException ({@code USER_INPUT}) for an option the substrate cannot
   *     honour
   */
  default Substrate with(SchedulingOptions options) {
    if (!options.equals(SchedulingOptions.DEFAULT)) {
      throw new io.lightcone.LightconeException(
          io.lightcone.LightconeException.Kind.USER_INPUT,
          "substrate "
              + name()
              + " takes no -j, --keep-going or --retries; leave them out with this substrate");
    }
    return this;
  }

  /**
   * Whether this substrate runs recipes on the machine that calls {@link #execute} (a thread pool,
   * a Snakemake or Dask cluster started here), rather than sending them elsewhere (a SLURM queue, a
   * remote cluster). The CLI checks such runs against a login node's limits ({@code
   * io.lightcone.core.LoginNode}). The default, {@code false}, suits a substrate that sends work
   * away.
   */
  default boolean runsOnThisMachine() {
    return false;
  }

  /**
   * The engine's own account of what it would run, beyond the plan itself, for {@code lc plan
   * --substrate NAME}; empty (the default) when the plan is the whole story. Asking for it runs no
   * recipe and publishes no output.
   */
  default Optional<DryRun> dryRunner() {
    return Optional.empty();
  }

  /** What {@link #dryRunner()} gives: a heading and the engine's text for one plan. */
  interface DryRun {
    /** One line naming what is shown, e.g. {@code snakemake --dry-run of .lightcone/Snakefile}. */
    String heading();

    /**
     * The engine's text for {@code plan}.
     *
     * @throws io.lightcone.LightconeException ({@code ENVIRONMENT}) when the engine cannot answer
     */
    String describe(Plan plan);
  }
}
