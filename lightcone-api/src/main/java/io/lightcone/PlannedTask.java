package io.lightcone;

import java.util.List;
import java.util.Locale;
import org.immutables.value.Value;

/**
 * A task with the planner's decision: run it (and why) or skip it (fresh).
 *
 * <pre>
 * {@code plan.tasks().forEach(t -> System.out.println(t.task().id() + " " + t.action() + " " + t.reasons()));}
 * </pre>
 */
@Value.Immutable
@LightconeStyle
public interface PlannedTask {
  /** What the planner will do with a task. */
  enum Action {
    RUN,
    SKIP,
    RESTORE;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  Task task();

  Action action();

  /**
   * Why: {@code missing}, {@code code changed: recipe}, {@code upstream changed: <id>}, {@code
   * upstream runs: <id>}, {@code forced}, or {@code fresh} for a skipped task.
   */
  List<String> reasons();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PlannedTask}. */
  final class Builder extends ImmutablePlannedTask.Builder {}
}
