package io.lightcone;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What happened to one task in an execution. A failed task is a result, not an exception.
 *
 * @param task the task
 * @param outcome what happened
 * @param exitCode the recipe's exit code, when it ran and exited
 * @param detail a sentence on what happened (the failure, or empty)
 * @param log project-relative path of the task's log, when it ran
 * @param duration wall time of the last attempt
 * @param attempts how many times the recipe was started
 * @param warnings output checks that did not pass (never failures)
 */
public record TaskResult(
    TaskId task,
    Outcome outcome,
    OptionalInt exitCode,
    String detail,
    Optional<String> log,
    Duration duration,
    int attempts,
    List<String> warnings) {

  /** The outcomes of a task. */
  public enum Outcome {
    /** The recipe ran and its output was published with a manifest. */
    SUCCEEDED,
    /** The output was restored from the cache and published. */
    RESTORED,
    /** Nothing to do: the output was fresh. */
    UP_TO_DATE,
    /** The recipe failed, timed out, or its output could not be published. */
    FAILED,
    /** Not run because a task it depends on failed (or, without keep-going, any task did). */
    SKIPPED,
    /** Not run, or stopped, because the execution was cancelled. */
    CANCELLED,
    /**
     * Handed to a batch queue that runs it after the execution returned (a detached SLURM run);
     * {@code lc status} tells later whether it succeeded.
     */
    SUBMITTED;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the output is now fresh. */
    public boolean ok() {
      return this == SUCCEEDED || this == RESTORED || this == UP_TO_DATE;
    }
  }

  public TaskResult {
    warnings = List.copyOf(warnings);
  }

  public static TaskResult of(TaskId task, Outcome outcome, String detail) {
    return new TaskResult(
        task, outcome, OptionalInt.empty(), detail, Optional.empty(), Duration.ZERO, 0, List.of());
  }

  /**
   * One line saying what happened: {@code ok baseline/pl_fit 0.3s}, or {@code failed
   * baseline/distance 0.2s: exit code 1 (log: .lightcone/logs/baseline/distance.log)}. The same
   * line {@code lc run} and {@link io.lightcone.event.ExecutionListener#printing} print; no escape
   * codes.
   */
  public String line() {
    String word = outcome == Outcome.SUCCEEDED ? "ok" : outcome.word();
    StringBuilder line = new StringBuilder(word).append(' ').append(task);
    if (attempts > 0) {
      line.append(' ').append(Tables.seconds(duration));
    }
    String said = detail;
    // Details often repeat the outcome ("skipped: ...", "restored from cache"); say it once.
    String outcomeWord = outcome.word();
    if (said.startsWith(outcomeWord + ": ") || said.startsWith(outcomeWord + " ")) {
      said = said.substring(outcomeWord.length() + 1).strip();
    }
    if (!said.isEmpty()) {
      line.append(": ").append(said);
    }
    if (outcome == Outcome.FAILED && log.isPresent() && !said.contains(log.get())) {
      line.append(" (log: ").append(log.get()).append(')');
    }
    return line.toString();
  }
}
