package io.lightcone.spi;

import io.lightcone.Task;
import io.lightcone.TaskId;
import io.lightcone.TaskResult;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a task's dependencies stand, for substrates that schedule tasks themselves: a task starts
 * once every dependency in the plan succeeded, and is skipped, naming the dependency, once one did
 * not (Substrate contract).
 */
public final class Dependencies {
  private Dependencies() {}

  /**
   * {@code TRUE} when every dependency of {@code task} in the plan ended ok, {@code FALSE} when one
   * did not, {@code null} while some have not ended. A dependency outside {@code planned} (fresh,
   * or made elsewhere) counts as ok.
   */
  public static Boolean ok(Task task, Set<TaskId> planned, Map<TaskId, TaskResult> results) {
    boolean pending = false;
    for (TaskId dep : task.dependsOn()) {
      if (!planned.contains(dep)) {
        continue;
      }
      TaskResult r = results.get(dep);
      if (r == null) {
        pending = true;
      } else if (!r.outcome().ok()) {
        return false;
      }
    }
    return pending ? null : true;
  }

  /** The first dependency that did not end ok, as a skip names it: {@code u/a failed}. */
  public static Optional<String> failed(Task task, Map<TaskId, TaskResult> results) {
    for (TaskId dep : task.dependsOn()) {
      TaskResult r = results.get(dep);
      if (r != null && !r.outcome().ok()) {
        return Optional.of(
            dep
                + (r.outcome() == TaskResult.Outcome.FAILED
                    ? " failed"
                    : " was " + r.outcome().word()));
      }
    }
    return Optional.empty();
  }
}
