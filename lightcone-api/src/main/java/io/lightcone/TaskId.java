package io.lightcone;

import io.lightcone.model.QualifiedOutputId;
import io.lightcone.model.UniverseId;

/**
 * A task: one output in one universe, written {@code <universe>/<qualified output id>}.
 *
 * <pre>{@code TaskId.parse("baseline/calibration.zero_point").output(); // calibration.zero_point}
 * </pre>
 *
 * @param universe the universe
 * @param output the output, qualified from the root
 */
public record TaskId(UniverseId universe, QualifiedOutputId output) implements Comparable<TaskId> {

  /**
   * Parses {@code universe/qualified.output}.
   *
   * @throws IllegalArgumentException naming the expected form when {@code text} is not one
   */
  public static TaskId parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "task id '" + text + "' must look like <universe>/<output>, e.g. baseline/fit");
    }
    return new TaskId(
        UniverseId.of(text.substring(0, slash)),
        QualifiedOutputId.parse(text.substring(slash + 1)));
  }

  @Override
  public int compareTo(TaskId o) {
    int c = universe.compareTo(o.universe);
    return c != 0 ? c : output.compareTo(o.output);
  }

  @Override
  public String toString() {
    return universe + "/" + output;
  }
}
