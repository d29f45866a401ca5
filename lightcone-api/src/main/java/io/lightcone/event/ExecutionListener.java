package io.lightcone.event;

import io.lightcone.ExecutionReport;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;

/**
 * Hears what an execution does. Contract, as OkHttp's EventListener: methods are called from the
 * substrate's threads, must return fast and must not throw (an exception is caught and dropped);
 * every {@code taskStarted} is followed by exactly one {@code taskFinished} for that task and
 * attempt, and {@code executionStarted} / {@code executionFinished} bracket all of them.
 *
 * <pre>{@code plan.execute(substrate, new ExecutionListener() {
 *   public void taskFinished(TaskResult r) { System.out.println(r.task() + " " + r.outcome()); }
 * });}</pre>
 */
public interface ExecutionListener {
  ExecutionListener NONE = new ExecutionListener() {};

  /**
   * Prints one plain line per finished task to {@code out} ({@code [3/11] ok baseline/pl_fit
   * 0.3s}), as {@code lc run} does in a log: no escape codes, nothing redrawn. For notebooks.
   *
   * <pre>{@code plan.execute(LocalSubstrate.create(), ExecutionListener.printing(System.out));}
   * </pre>
   */
  static ExecutionListener printing(java.io.PrintStream out) {
    return new PrintingListener(java.util.Objects.requireNonNull(out, "out"));
  }

  /** {@code total} tasks will be reported, {@code toRun} of them need running. */
  default void executionStarted(int total, int toRun) {}

  default void taskStarted(TaskId task, int attempt) {}

  /**
   * The recipe of this attempt ended well and gave back its {@code cpus}, {@code memory} and {@code
   * gpus}, though the task still hashes, writes its manifest and publishes: a scheduler may start
   * the next task. Called by the task runner, at most once per attempt, between {@code taskStarted}
   * and {@code taskFinished}.
   */
  default void resourcesReleased(TaskId task, int attempt) {}

  /** A line the recipe printed (stdout or stderr), without its line break. */
  default void taskOutput(TaskId task, String line) {}

  /** An output check that did not pass; never a failure. */
  default void taskWarning(TaskId task, String warning) {}

  /**
   * A line the substrate has for people about the execution as a whole, not one task: where its
   * cluster is and its dashboard, which SLURM jobs it submitted or cancelled. {@code lc run} prints
   * it as a note.
   */
  default void substrateNote(String note) {}

  /** A task reached its outcome (also for tasks skipped or found fresh, without a start). */
  default void taskFinished(TaskResult result) {}

  default void executionFinished(ExecutionReport report) {}
}
