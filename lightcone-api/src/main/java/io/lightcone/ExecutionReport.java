package io.lightcone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of executing a plan: one result per task of the plan, in plan order.
 *
 * <pre>{@code
 * ExecutionReport report = project.plan().execute(LocalSubstrate.create());
 * report.throwIfFailed();
 * }</pre>
 */
public final class ExecutionReport {
  private final String substrate;
  private final List<TaskResult> results;
  private final Duration elapsed;

  public ExecutionReport(String substrate, List<TaskResult> results, Duration elapsed) {
    this.substrate = substrate;
    this.results = List.copyOf(results);
    this.elapsed = elapsed;
  }

  public String substrate() {
    return substrate;
  }

  public List<TaskResult> results() {
    return results;
  }

  public Duration elapsed() {
    return elapsed;
  }

  public Map<TaskResult.Outcome, Integer> counts() {
    Map<TaskResult.Outcome, Integer> counts = new EnumMap<>(TaskResult.Outcome.class);
    results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
    return counts;
  }

  /** Whether every task's output is now fresh. */
  public boolean succeeded() {
    return results.stream().allMatch(r -> r.outcome().ok());
  }

  public List<TaskResult> failures() {
    return results.stream().filter(r -> r.outcome() == TaskResult.Outcome.FAILED).toList();
  }

  /**
   * Throws when any task failed, was skipped or cancelled, for callers that want an exception.
   *
   * @throws LightconeException of kind INTEGRITY naming the failed tasks, or INTERRUPTED when the
   *     execution was cancelled
   */
  public ExecutionReport throwIfFailed() {
    if (succeeded()) {
      return this;
    }
    boolean cancelled = results.stream().anyMatch(r -> r.outcome() == TaskResult.Outcome.CANCELLED);
    List<String> failed = new ArrayList<>();
    failures().forEach(r -> failed.add(r.task() + ": " + r.detail()));
    throw new LightconeException(
        cancelled && failed.isEmpty()
            ? LightconeException.Kind.INTERRUPTED
            : LightconeException.Kind.INTEGRITY,
        cancelled && failed.isEmpty()
            ? "execution cancelled"
            : failed.size() + " task(s) failed:\n  " + String.join("\n  ", failed));
  }

  /**
   * {@code TASK / OUTCOME / TIME / DETAIL}, then the counts. The {@code TIME} column and the total
   * elapsed time are the only parts that change from run to run.
   */
  @Override
  public String toString() {
    return Tables.render(rows()) + onSubstrate() + Tables.seconds(elapsed) + counted();
  }

  /**
   * The same table as {@link #toString()}, as HTML for a notebook's rich display; times are in
   * elements of class {@code lc-time}.
   *
   * <pre>{@code display(report.toHtml(), "text/html");}</pre>
   */
  public String toHtml() {
    return Tables.html(
        rows(),
        java.util.Set.of(2),
        Tables.escape(onSubstrate())
            + Tables.time(Tables.seconds(elapsed))
            + Tables.escape(counted()));
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TASK", "OUTCOME", "TIME", "DETAIL"});
    for (TaskResult r : results) {
      rows.add(
          new String[] {
            r.task().toString(),
            r.outcome().word(),
            r.attempts() == 0 ? "" : Tables.seconds(r.duration()),
            r.detail()
          });
    }
    return rows;
  }

  private String onSubstrate() {
    return results.size() + " tasks on " + substrate + " in ";
  }

  private String counted() {
    List<String> parts = new ArrayList<>();
    counts().forEach((o, n) -> parts.add(n + " " + o.word()));
    return ": " + String.join(", ", parts);
  }
}
