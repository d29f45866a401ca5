package io.lightcone.spi;

import io.lightcone.Plan;
import io.lightcone.Task;
import io.lightcone.event.ExecutionListener;
import java.util.List;

/**
 * Everything a {@link Substrate} gets for one execution.
 *
 * <pre>{@code for (PlannedTask t : context.plan().tasks()) { ... context.runner().run(...) ... }}
 * </pre>
 */
public interface ExecutionContext {
  Plan plan();

  /** Runs a task in this process. */
  TaskRunner runner();

  /** The plumbing command that runs a task in another process. */
  List<String> taskCommand(Task task);

  /** Already guarded: calls never throw and never block long. */
  ExecutionListener listener();

  Cancellation cancellation();
}
