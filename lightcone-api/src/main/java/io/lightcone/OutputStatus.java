package io.lightcone;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The state of one output in one universe, known from manifests alone.
 *
 * <pre>{@code
 * project.status().outputs().stream().filter(o -> o.state() == OutputStatus.State.STALE)
 *     .forEach(o -> System.out.println(o.task() + " " + o.reasons()));
 * }</pre>
 *
 * @param universeId the universe
 * @param outputId the output's id within its analysis
 * @param qualifiedId the output's id from the root, e.g. {@code calibration.zero_point}
 * @param analysisId the id of the analysis that declares it
 * @param state ok, stale, missing, alias or failed
 * @param recipeCommand the raw recipe template; empty for an alias
 * @param reasons why it is stale or failed, in words ({@code code changed: recipe}, ...)
 * @param task the task that makes it; empty for an alias
 */
public record OutputStatus(
    String universeId,
    String outputId,
    String qualifiedId,
    String analysisId,
    State state,
    Optional<String> recipeCommand,
    List<String> reasons,
    Optional<TaskId> task) {

  /** The states of lightcone-cli's {@code status}. */
  public enum State {
    /** Has a manifest that matches the spec and its inputs. */
    OK,
    /** Has a manifest, but the spec or an input changed since. */
    STALE,
    /** Has never been made (or its manifest is gone). */
    MISSING,
    /** Re-exports another output, or has no recipe: nothing to make. */
    ALIAS,
    /** The last attempt failed. */
    FAILED;

    /** The lower-case word of the JSON and the tables. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public OutputStatus {
    reasons = List.copyOf(reasons);
  }
}
