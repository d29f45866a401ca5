package io.lightcone;

import io.lightcone.event.ExecutionListener;
import io.lightcone.model.ResolvedUniverse;
import io.lightcone.spi.PlanRuntime;
import io.lightcone.spi.Substrate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What will run and why, before anything runs: every task of the selected universes in dependency
 * order, each with its action and reasons. Immutable; execute it on a substrate.
 *
 * <pre>{@code
 * Plan plan = Project.load(dir).plan();
 * System.out.println(plan);               // TASK / ACTION / REASONS
 * plan.execute(LocalSubstrate.create()).throwIfFailed();
 * }</pre>
 */
public final class Plan {
  private final Path directory;
  private final List<PlannedTask> tasks;
  private final List<ResolvedUniverse> universes;
  private final PlanRuntime runtime;
  private final List<String> warnings;

  /** Made by {@code Project.plan}; {@code runtime} is lightcone-core's. */
  public Plan(
      Path directory,
      List<PlannedTask> tasks,
      List<ResolvedUniverse> universes,
      PlanRuntime runtime) {
    this(directory, tasks, universes, runtime, List.of());
  }

  /** As above, with what the planner warns about (e.g. a container with no runtime to run it). */
  public Plan(
      Path directory,
      List<PlannedTask> tasks,
      List<ResolvedUniverse> universes,
      PlanRuntime runtime,
      List<String> warnings) {
    this.directory = directory;
    this.tasks = List.copyOf(tasks);
    this.universes = List.copyOf(universes);
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.warnings = List.copyOf(warnings);
  }

  /** The project directory. */
  public Path directory() {
    return directory;
  }

  /** Every planned task, dependencies before dependents. */
  public List<PlannedTask> tasks() {
    return tasks;
  }

  /** The universes planned, with what each chose. */
  public List<ResolvedUniverse> universes() {
    return universes;
  }

  /**
   * What the planner warns about; running is still possible. For example: tasks declare a container
   * but no container runtime is available, so they will run outside their image.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** The tasks that will run. */
  public List<PlannedTask> toRun() {
    return tasks.stream().filter(t -> t.action() != PlannedTask.Action.SKIP).toList();
  }

  /**
   * The task with id {@code id} ({@code universe/output}).
   *
   * @throws LightconeException of kind USER_INPUT when the plan has no such task
   */
  public PlannedTask task(String id) {
    return tasks.stream()
        .filter(t -> t.task().id().toString().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new LightconeException(
                    LightconeException.Kind.USER_INPUT, "the plan has no task '" + id + "'"));
  }

  /**
   * The plumbing command that runs {@code task} in another process ({@code lc task run ...}), as
   * the substrate named {@code substrate} would run it; for substrates that write a workflow before
   * (or without) executing it, such as a Snakemake dry run.
   */
  public List<String> taskCommand(Task task, String substrate) {
    return runtime.taskCommand(task, substrate);
  }

  /** Runs the plan and waits for it; a failed task is in the report, not thrown. */
  public ExecutionReport execute(Substrate substrate) {
    return execute(substrate, ExecutionListener.NONE);
  }

  public ExecutionReport execute(Substrate substrate, ExecutionListener listener) {
    return start(substrate, listener).await();
  }

  /**
   * Starts running the plan in the background and returns a handle to wait for or cancel it.
   *
   * @throws ProjectLockedException when another execution holds the project's run lock
   */
  public Execution start(Substrate substrate, ExecutionListener listener) {
    return Execution.start(this, runtime, substrate, listener);
  }

  /** The universes planned as a table: one row per universe, one column per decision. */
  public Universes universeTable() {
    return Universes.of(universes);
  }

  /** {@code TASK / ACTION / REASONS}, then how many tasks will run. */
  @Override
  public String toString() {
    return Tables.render(rows()) + summary();
  }

  /**
   * The same table as {@link #toString()}, as HTML for a notebook's rich display.
   *
   * <pre>{@code display(plan.toHtml(), "text/html"); // rapaio's Jupyter kernel}</pre>
   */
  public String toHtml() {
    return Tables.html(rows(), java.util.Set.of(), Tables.escape(summary()));
  }

  private List<String[]> rows() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TASK", "ACTION", "REASONS"});
    for (PlannedTask t : tasks) {
      rows.add(
          new String[] {
            t.task().id().toString(), t.action().word(), String.join("; ", t.reasons())
          });
    }
    return rows;
  }

  private String summary() {
    return tasks.size()
        + " tasks in "
        + universes.size()
        + " universe(s): "
        + toRun().size()
        + " to run";
  }
}
