package io.lightcone.spi;

import io.lightcone.ExecutionReport;

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
 * <pre>{@code ExecutionReport r = plan.execute(LocalSubstrate.create().keepGoing(true));}</pre>
 */
public interface Substrate {
  /** A short name for reports and manifests: {@code local}, {@code snakemake}, {@code dask}. */
  String name();

  ExecutionReport execute(ExecutionContext context);
}
