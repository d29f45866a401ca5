package io.lightcone;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * One declared input of a task, resolved: an upstream output (with the task that makes it, if any)
 * or something outside the project's outputs (a file, a directory, a URI).
 *
 * <pre>{@code task.inputs().get(0).path(); // results/baseline/catalog}</pre>
 */
@Value.Immutable
@LightconeStyle
public interface TaskInput {
  /** The id as the output declares it, e.g. {@code catalog} or {@code calibration.zero_point}. */
  String id();

  /** Project-relative POSIX path (or a URI as written) substituted for {@code {inputs.<id>}}. */
  String path();

  /** The task that produces it, when it is an output of the project made by a recipe. */
  Optional<TaskId> upstream();

  /** Whether it is an output of the project rather than an external file, directory or URI. */
  boolean isOutput();

  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TaskInput}. */
  final class Builder extends ImmutableTaskInput.Builder {}
}
